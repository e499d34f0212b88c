package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
)

func TestPreVersionIsAValidPreReleaseBeforeTheRelease(t *testing.T) {
	at := time.Date(2026, 11, 30, 9, 5, 7, 0, time.FixedZone("X", 3*3600))
	for _, tc := range []struct{ version, commit, want string }{
		{"v0.1.0", "8b4f303abcde", "v0.1.0-pre.20261130060507-8b4f303abcde"},
		{"v0.3.0", "", "v0.3.0-pre.20261130060507-worktree"},
		{"v0.1.0-rc.1+meta", "012345678901", "v0.1.0-pre.20261130060507-012345678901"},
	} {
		got := preVersion(tc.version, at, tc.commit)
		if got != tc.want {
			t.Errorf("preVersion(%s, %s) = %s, want %s", tc.version, tc.commit, got, tc.want)
		}
		if !semver.IsValid(got) || semver.Prerelease(got) == "" {
			t.Errorf("%s is not a semantic pre-release version", got)
		}
		if err := module.Check(rootPath+"/store/sqlite", got); err != nil {
			t.Errorf("the go command would refuse %s: %v", got, err)
		}
		if release := semver.Canonical(tc.version[:len("v0.1.0")]); semver.Compare(got, release) >= 0 {
			t.Errorf("%s does not sort before %s", got, release)
		}
	}
	earlier := preVersion("v0.1.0", at.Add(-time.Second), "ffffffffffff")
	if semver.Compare(earlier, preVersion("v0.1.0", at, "000000000000")) >= 0 {
		t.Errorf("an earlier commit's pre-release %s does not sort first", earlier)
	}
}

func TestMergeListKeepsEarlierPreReleases(t *testing.T) {
	list := filepath.Join(t.TempDir(), "list")
	if got := string(mergeList(list, "v0.1.0-pre.2-b")); got != "v0.1.0-pre.2-b\n" {
		t.Errorf("a new list: %q", got)
	}
	if err := os.WriteFile(list, []byte("v0.1.0-pre.3-c\nv0.1.0-pre.1-a\nv0.1.0-pre.2-b\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, want := string(mergeList(list, "v0.1.0-pre.2-b")), "v0.1.0-pre.1-a\nv0.1.0-pre.2-b\nv0.1.0-pre.3-c\n"; got != want {
		t.Errorf("merged: %q, want %q", got, want)
	}
}
