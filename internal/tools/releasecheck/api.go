package main

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// allowedBreaksFile lists, one module path per line (text after the path is
// the reason), the modules whose next release breaks their API on purpose.
// RELEASING.md says when that is allowed; the file is emptied at the release.
const allowedBreaksFile = "internal/tools/releasecheck/api-breaks.txt"

// apiCheck compares the API of every module of go.work in the working tree
// with the module's latest release tag (or with base, a commit, for every
// module), package by package, with golang.org/x/exp/cmd/apidiff. A module
// without a tag is skipped, said so.
func (c *checker) apiCheck(base string) error {
	if err := c.setup(); err != nil {
		return err
	}
	mods, err := readModules(c.repo)
	if err != nil {
		return err
	}
	c.mods = mods
	allowed, err := c.allowedBreaks()
	if err != nil {
		return err
	}

	type job struct {
		m   *mod
		ref string
	}
	var jobs []job
	for _, m := range c.mods {
		ref := base
		if ref == "" {
			tag, err := c.latestTag(m.tagPrefix())
			if err != nil {
				return err
			}
			if tag == "" {
				c.logf("   %-56s no release tag (%sv…) yet: API check skipped", m.path, m.tagPrefix())
				continue
			}
			ref = tag
		}
		jobs = append(jobs, job{m, ref})
	}
	if len(jobs) == 0 {
		c.logf("== API compatibility: SKIPPED, no module has a release tag yet (the first release has nothing to be compatible with)")
		return nil
	}

	// apidiff at the version this tool's go.mod pins (its tool directive).
	tool, err := os.Getwd()
	if err != nil {
		return err
	}
	apidiff := filepath.Join(c.tmp, "apidiff")
	if _, err := c.run(tool, withEnv(os.Environ(), "GOWORK=off", "GOFLAGS="), "go", "build", "-o", apidiff, "golang.org/x/exp/cmd/apidiff"); err != nil {
		return err
	}

	var broken []string
	trees := map[string]string{}
	for _, j := range jobs {
		old, ok := trees[j.ref]
		if !ok {
			old = filepath.Join(c.tmp, "base-"+fmt.Sprint(len(trees)))
			if err := c.export(j.ref, false, old); err != nil {
				return err
			}
			trees[j.ref] = old
		}
		oldDir := filepath.Join(old, filepath.FromSlash(j.m.dir))
		if _, err := os.Stat(filepath.Join(oldDir, "go.mod")); err != nil {
			c.logf("   %-56s not a module at %s: API check skipped", j.m.path, j.ref)
			continue
		}
		changes, err := c.diffModule(apidiff, j.m, old, c.repo)
		if err != nil {
			return err
		}
		switch {
		case len(changes) == 0:
			c.logf("   %-56s compatible with %s", j.m.path, j.ref)
		case allowed[j.m.path]:
			c.logf("   %-56s incompatible with %s, allowed by %s:\n%s", j.m.path, j.ref, allowedBreaksFile, strings.TrimRight(indent(strings.Join(changes, "\n")), "\n"))
		default:
			c.logf("   %-56s INCOMPATIBLE with %s:\n%s", j.m.path, j.ref, strings.TrimRight(indent(strings.Join(changes, "\n")), "\n"))
			broken = append(broken, j.m.path)
		}
	}
	if len(broken) > 0 {
		return fmt.Errorf("incompatible API changes since the latest release in %s (see RELEASING.md, \"API compatibility\")", strings.Join(broken, ", "))
	}
	c.logf("== API compatibility: PASS")
	return nil
}

// diffModule returns the incompatible changes of m's exported packages
// between the trees oldTree and newTree, each built with its own go.work.
func (c *checker) diffModule(apidiff string, m *mod, oldTree, newTree string) ([]string, error) {
	oldDir := filepath.Join(oldTree, filepath.FromSlash(m.dir))
	newDir := filepath.Join(newTree, filepath.FromSlash(m.dir))
	oldEnv := withEnv(os.Environ(), "GOFLAGS=", "GOWORK="+filepath.Join(oldTree, "go.work"))
	newEnv := withEnv(os.Environ(), "GOFLAGS=", "GOWORK="+filepath.Join(newTree, "go.work"))
	list := func(dir string, env []string) ([]string, error) {
		out, err := c.run(dir, env, "go", "list", "-f", "{{.ImportPath}}", "./...")
		if err != nil {
			return nil, err
		}
		var pkgs []string
		for _, p := range strings.Fields(out) {
			if !isInternal(strings.TrimPrefix(p, m.path)) {
				pkgs = append(pkgs, p)
			}
		}
		return pkgs, nil
	}
	oldPkgs, err := list(oldDir, oldEnv)
	if err != nil {
		return nil, err
	}
	newPkgs, err := list(newDir, newEnv)
	if err != nil {
		return nil, err
	}
	inNew := map[string]bool{}
	for _, p := range newPkgs {
		inNew[p] = true
	}
	exports := filepath.Join(c.tmp, "exports")
	if err := os.MkdirAll(exports, 0o755); err != nil {
		return nil, err
	}
	var changes []string
	for i, p := range oldPkgs {
		if !inNew[p] {
			changes = append(changes, p+": package removed")
			continue
		}
		oldX := filepath.Join(exports, fmt.Sprintf("old-%d", i))
		newX := filepath.Join(exports, fmt.Sprintf("new-%d", i))
		if _, err := c.run(oldDir, oldEnv, apidiff, "-w", oldX, p); err != nil {
			return nil, err
		}
		if _, err := c.run(newDir, newEnv, apidiff, "-w", newX, p); err != nil {
			return nil, err
		}
		// Internal packages were left out above; -allow-internal keeps
		// apidiff from leaving out a module whose root path has an internal
		// element (store/internal/sqlstore).
		out, err := c.run(newDir, nil, apidiff, "-incompatible", "-allow-internal", oldX, newX)
		if err != nil {
			return nil, err
		}
		for _, line := range strings.Split(out, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "Incompatible changes:") {
				continue
			}
			changes = append(changes, p+": "+strings.TrimPrefix(line, "- "))
		}
	}
	return changes, nil
}

// isInternal reports whether a package path relative to its module holds an
// internal element: such packages have no compatibility promise.
func isInternal(rel string) bool {
	for _, e := range strings.Split(path.Clean("/"+rel), "/") {
		if e == "internal" {
			return true
		}
	}
	return false
}

func (c *checker) allowedBreaks() (map[string]bool, error) {
	f, err := os.Open(filepath.Join(c.repo, filepath.FromSlash(allowedBreaksFile)))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]bool{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := strings.TrimSpace(s.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := strings.Fields(line)[0]
		if p == rootPath+"/store/internal/sqlstore" {
			return nil, fmt.Errorf("%s: %s may never break its API: released adapters call it (RELEASING.md)", allowedBreaksFile, p)
		}
		out[p] = true
	}
	return out, s.Err()
}
