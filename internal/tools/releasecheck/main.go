// Command releasecheck checks that every surveyflow module installs on its
// own, at a release version, through a module proxy — as a host outside the
// repository would get it — and, with -api, that each module's API is
// compatible with its latest release tag.
//
// The release check (the default) simulates the release procedure of
// RELEASING.md on a copy of a commit (HEAD unless -rev or -worktree):
//
//  1. every module listed in go.work is released at one version (-version;
//     by default the minor version after the root module's latest tag, or
//     v0.1.0), in dependency order, with its requirements on the other
//     surveyflow modules set to that version and `go mod tidy` run, as the
//     release commits do; any other change tidy makes is reported, since
//     the committed go.mod would be untidy;
//  2. each module is zipped with golang.org/x/mod/zip into a file-based
//     module proxy (<module>/@v/list, .info, .mod, .zip);
//  3. in fresh modules outside the repository, with GOWORK=off, a module
//     cache of their own and GOPROXY=file://<that proxy>,<the usual
//     proxies>, it runs `go get` for every module, builds and runs programs
//     that use the root module alone and the root module with both SQL
//     stores, type-checks every package of the modules with its tests,
//     installs and runs the examples with `go install …@version`, and checks
//     that a host of the root module alone has no database driver in its
//     module graph.
//
// The surveyflow modules are kept out of the checksum database with
// GONOSUMDB=github.com/surveyflow/surveyflow (their zips exist only here);
// every other module is checked against it as usual.
//
// With -out DIR, once the check passes, the file-based module proxy it
// built is copied into DIR, at a pre-release version
// (v0.1.0-pre.<commit time>-<commit>, see preVersion) unless -version
// names another pre-release: a module of one's own can then get the
// modules before they are released, with GOPROXY=file://DIR,… and
// GONOSUMDB=github.com/surveyflow/surveyflow, and no made-up release
// version reaches a module cache. DIR may hold earlier pre-releases; each
// module's list names them all.
//
// Run it from this directory with GOWORK=off; it is a module of its own,
// outside go.work:
//
//	cd internal/tools/releasecheck && GOWORK=off go run .
//	cd internal/tools/releasecheck && GOWORK=off go run . -out /tmp/surveyflow-proxy
//	cd internal/tools/releasecheck && GOWORK=off go run . -api
package main

import (
	"archive/tar"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"
	"golang.org/x/mod/zip"
)

// rootPath is the root module's path; every released module's path starts
// with it.
const rootPath = "github.com/surveyflow/surveyflow"

func main() {
	var (
		version  = flag.String("version", "", "version to release every module at (default: the minor version after the root module's latest tag, or v0.1.0; with -out, a pre-release of it)")
		out      = flag.String("out", "", "once the check passes, copy its module proxy into this directory, at a pre-release version, for GOPROXY=file://DIR")
		rev      = flag.String("rev", "HEAD", "commit to check")
		worktree = flag.Bool("worktree", false, "check the working tree (tracked and untracked, not ignored, files) instead of a commit")
		keep     = flag.Bool("keep", false, "keep the temporary directory (proxy, consumers, module cache) and print its path")
		noCache  = flag.Bool("nocache", false, "fetch third-party modules from the network proxy only, not also from the local module cache")
		api      = flag.Bool("api", false, "check each module's API against its latest release tag instead (apidiff)")
		apiBase  = flag.String("api-base", "", "with -api: compare against this commit instead of each module's latest tag")
		verbose  = flag.Bool("v", false, "print the go commands and their output")
	)
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: GOWORK=off go run . [flags]   (from internal/tools/releasecheck)\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}

	c := &checker{verbose: *verbose, keep: *keep}
	var err error
	if *api && *out != "" {
		fmt.Fprintln(os.Stderr, "releasecheck: -out goes with the release check, not with -api")
		os.Exit(2)
	}
	if *api {
		err = c.apiCheck(*apiBase)
	} else {
		err = c.releaseCheck(*version, *rev, *worktree, !*noCache, *out)
	}
	if cerr := c.cleanup(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "releasecheck: FAIL: %v\n", err)
		os.Exit(1)
	}
}

// checker holds what one run shares: the repository, the temporary
// directory and the isolated environment of the go commands.
type checker struct {
	verbose bool
	keep    bool
	repo    string // repository root
	tmp     string // temporary directory of this run
	mods    []*mod // released modules, in dependency order once sorted
	env     []string
}

// mod is one module listed in go.work.
type mod struct {
	dir  string // slash path from the repository root, "" for the root
	path string
	deps []string // released modules whose packages it (or its tests) imports
}

func (m *mod) tagPrefix() string {
	if m.dir == "" {
		return ""
	}
	return m.dir + "/"
}

func (c *checker) logf(format string, args ...any) {
	fmt.Printf(format+"\n", args...)
}

// run runs a command in dir with env (nil: the inherited environment) and
// returns its combined output; a failure carries the output.
func (c *checker) run(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	if env != nil {
		cmd.Env = env
	}
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if c.verbose {
		fmt.Printf("  $ (cd %s && %s %s)\n", dir, name, strings.Join(args, " "))
	}
	err := cmd.Run()
	if c.verbose && out.Len() > 0 {
		fmt.Print(indent(out.String()))
	}
	if err != nil {
		return out.String(), fmt.Errorf("%s %s (in %s): %v\n%s", name, strings.Join(args, " "), dir, err, indent(out.String()))
	}
	return out.String(), nil
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return ""
	}
	return "    " + strings.ReplaceAll(s, "\n", "\n    ") + "\n"
}

// withEnv returns base with the given KEY=value settings replacing any
// earlier ones.
func withEnv(base []string, kv ...string) []string {
	out := make([]string, 0, len(base)+len(kv))
	drop := map[string]bool{}
	for _, s := range kv {
		k, _, _ := strings.Cut(s, "=")
		drop[k] = true
	}
	for _, s := range base {
		k, _, _ := strings.Cut(s, "=")
		if !drop[k] {
			out = append(out, s)
		}
	}
	return append(out, kv...)
}

func (c *checker) setup() error {
	top, err := c.run(".", nil, "git", "rev-parse", "--show-toplevel")
	if err != nil {
		return fmt.Errorf("not in the surveyflow repository: %w", err)
	}
	c.repo = strings.TrimSpace(top)
	c.tmp, err = os.MkdirTemp("", "surveyflow-releasecheck-")
	if err != nil {
		return err
	}
	c.tmp, err = filepath.EvalSymlinks(c.tmp)
	return err
}

// cleanup removes the temporary directory, module cache included (whose
// files the go command makes read-only).
func (c *checker) cleanup() error {
	if c.tmp == "" {
		return nil
	}
	if c.keep {
		c.logf("kept %s", c.tmp)
		return nil
	}
	modcache := filepath.Join(c.tmp, "modcache")
	if _, err := os.Stat(modcache); err == nil {
		if _, err := c.run(c.tmp, withEnv(os.Environ(), "GOMODCACHE="+modcache, "GOFLAGS="), "go", "clean", "-modcache"); err != nil {
			return err
		}
	}
	return os.RemoveAll(c.tmp)
}

// export writes the files of rev (or of the working tree) to dst.
func (c *checker) export(rev string, worktree bool, dst string) error {
	if worktree {
		out, err := c.run(c.repo, nil, "git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
		if err != nil {
			return err
		}
		for _, name := range strings.Split(out, "\x00") {
			if name == "" {
				continue
			}
			src := filepath.Join(c.repo, filepath.FromSlash(name))
			info, err := os.Lstat(src)
			if errors.Is(err, os.ErrNotExist) {
				continue // deleted in the working tree
			}
			if err != nil {
				return err
			}
			if !info.Mode().IsRegular() {
				continue
			}
			b, err := os.ReadFile(src)
			if err != nil {
				return err
			}
			if err := writeFile(filepath.Join(dst, filepath.FromSlash(name)), b); err != nil {
				return err
			}
		}
		return nil
	}
	// Like the go command and zip.CreateFromVCS: git archive, with the
	// line endings of the repository.
	cmd := exec.Command("git", "-c", "core.autocrlf=input", "-c", "core.eol=lf", "archive", "--format=tar", rev)
	cmd.Dir = c.repo
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	tr := tar.NewReader(stdout)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			cmd.Wait()
			return fmt.Errorf("git archive %s: %v %s", rev, err, stderr.String())
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dst, filepath.FromSlash(h.Name)), b); err != nil {
			return err
		}
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git archive %s: %v %s", rev, err, stderr.String())
	}
	return nil
}

func writeFile(name string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, b, 0o644)
}

// readModules reads the modules of go.work in tree, and refuses replace
// directives in their go.mod files: a host's build ignores them, so a
// module that needs one does not build for anyone else.
func readModules(tree string) ([]*mod, error) {
	b, err := os.ReadFile(filepath.Join(tree, "go.work"))
	if err != nil {
		return nil, err
	}
	wf, err := modfile.ParseWork("go.work", b, nil)
	if err != nil {
		return nil, err
	}
	var mods []*mod
	var problems []string
	for _, u := range wf.Use {
		dir := path.Clean(filepath.ToSlash(u.Path))
		if dir == "." {
			dir = ""
		}
		name := path.Join(dir, "go.mod")
		b, err := os.ReadFile(filepath.Join(tree, filepath.FromSlash(name)))
		if err != nil {
			return nil, err
		}
		mf, err := modfile.Parse(name, b, nil)
		if err != nil {
			return nil, err
		}
		if mf.Module == nil {
			return nil, fmt.Errorf("%s has no module line", name)
		}
		p := mf.Module.Mod.Path
		if p != rootPath && !strings.HasPrefix(p, rootPath+"/") {
			return nil, fmt.Errorf("%s: module %s is not under %s", name, p, rootPath)
		}
		if want := path.Join(rootPath, dir); p != want {
			return nil, fmt.Errorf("%s: module %s must be %s for its tags (%sv0.x.y) to name it", name, p, want, (&mod{dir: dir}).tagPrefix())
		}
		for _, r := range mf.Replace {
			problems = append(problems, fmt.Sprintf("%s: replace %s => %s (a host's build ignores it; go.work ties the modules for development)", name, r.Old.Path, r.New.Path))
		}
		mods = append(mods, &mod{dir: dir, path: p})
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("replace directives in go.mod files:\n  %s", strings.Join(problems, "\n  "))
	}
	return mods, nil
}

// released reports whether p is the path of a module of c.mods.
func (c *checker) released(p string) bool {
	for _, m := range c.mods {
		if m.path == p {
			return true
		}
	}
	return false
}

// findDeps lists, for each module, the other modules whose packages its
// packages and tests import, as the workspace of tree builds them.
func (c *checker) findDeps(tree string) error {
	env := withEnv(os.Environ(), "GOWORK="+filepath.Join(tree, "go.work"), "GOFLAGS=")
	for _, m := range c.mods {
		out, err := c.run(filepath.Join(tree, filepath.FromSlash(m.dir)), env, "go", "list", "-deps", "-test", "-f", "{{with .Module}}{{.Path}}{{end}}", "./...")
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, p := range strings.Fields(out) {
			if p != m.path && c.released(p) && !seen[p] {
				seen[p] = true
				m.deps = append(m.deps, p)
			}
		}
		sort.Strings(m.deps)
	}
	return nil
}

// sortModules orders c.mods so that every module comes after the modules it
// depends on: the order of the release tags.
func (c *checker) sortModules() error {
	byPath := map[string]*mod{}
	for _, m := range c.mods {
		byPath[m.path] = m
	}
	var out []*mod
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(m *mod) error
	visit = func(m *mod) error {
		switch state[m.path] {
		case 1:
			return fmt.Errorf("modules depend on each other in a cycle through %s", m.path)
		case 2:
			return nil
		}
		state[m.path] = 1
		for _, d := range m.deps {
			if err := visit(byPath[d]); err != nil {
				return err
			}
		}
		state[m.path] = 2
		out = append(out, m)
		return nil
	}
	sorted := append([]*mod(nil), c.mods...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].path < sorted[j].path })
	for _, m := range sorted {
		if err := visit(m); err != nil {
			return err
		}
	}
	c.mods = out
	return nil
}

// latestTag returns the highest release tag of the module with the given
// tag prefix ("" for the root module, "store/sqlite/" …), or "".
func (c *checker) latestTag(prefix string) (string, error) {
	out, err := c.run(c.repo, nil, "git", "tag", "--list", prefix+"v*")
	if err != nil {
		return "", err
	}
	best := ""
	for _, t := range strings.Fields(out) {
		v := strings.TrimPrefix(t, prefix)
		if !semver.IsValid(v) || semver.Prerelease(v) != "" || strings.Contains(v, "/") {
			continue
		}
		if best == "" || semver.Compare(v, best) > 0 {
			best = v
		}
	}
	if best == "" {
		return "", nil
	}
	return prefix + best, nil
}

// nextVersion is the minor version after the root module's latest tag.
func (c *checker) nextVersion() (string, error) {
	tag, err := c.latestTag("")
	if err != nil || tag == "" {
		return "v0.1.0", err
	}
	major, minor := 0, 0
	fmt.Sscanf(semver.MajorMinor(tag), "v%d.%d", &major, &minor)
	return fmt.Sprintf("v%d.%d.0", major, minor+1), nil
}

func (c *checker) releaseCheck(version, rev string, worktree, useLocalCache bool, outDir string) error {
	start := time.Now()
	if err := c.setup(); err != nil {
		return err
	}
	if outDir != "" {
		abs, err := filepath.Abs(outDir)
		if err != nil {
			return err
		}
		outDir = abs
	}

	src := filepath.Join(c.tmp, "src")
	what := "the working tree"
	commitTime := time.Now().UTC()
	commit := ""
	if !worktree {
		out, err := c.run(c.repo, nil, "git", "show", "-s", "--format=%H %cI", rev)
		if err != nil {
			return err
		}
		f := strings.Fields(out)
		commit = f[0][:12]
		what = "commit " + commit
		if t, err := time.Parse(time.RFC3339, f[1]); err == nil {
			commitTime = t.UTC()
		}
	}
	if version == "" {
		v, err := c.nextVersion()
		if err != nil {
			return err
		}
		version = v
		if outDir != "" {
			version = preVersion(v, commitTime, commit)
		}
	}
	if !semver.IsValid(version) || semver.Major(version) != "v0" && semver.Major(version) != "v1" {
		return fmt.Errorf("-version %q: want a v0 or v1 semantic version such as v0.1.0", version)
	}
	if outDir != "" && semver.Prerelease(version) == "" {
		return fmt.Errorf("-out with -version %s: a proxy for other modules' caches takes a pre-release version (such as %s), never a release one", version, preVersion(version, commitTime, commit))
	}
	if !worktree {
		if st, err := c.run(c.repo, nil, "git", "status", "--porcelain", "--untracked-files=no"); err == nil && strings.TrimSpace(st) != "" {
			c.logf("   note: the working tree has uncommitted changes; they are not checked (-worktree checks them)")
		}
	}
	if err := c.export(rev, worktree, src); err != nil {
		return err
	}
	mods, err := readModules(src)
	if err != nil {
		return err
	}
	c.mods = mods
	if err := c.findDeps(src); err != nil {
		return err
	}
	if err := c.sortModules(); err != nil {
		return err
	}
	c.logf("== release check of %s as version %s (%d modules, in tag order)", what, version, len(c.mods))

	// The isolated environment of every go command from here on.
	goproxy, err := c.run(c.repo, nil, "go", "env", "GOPROXY")
	if err != nil {
		return err
	}
	modcache, err := c.run(c.repo, nil, "go", "env", "GOMODCACHE")
	if err != nil {
		return err
	}
	proxyDir := filepath.Join(c.tmp, "proxy")
	proxies := []string{"file://" + filepath.ToSlash(proxyDir)}
	if useLocalCache {
		// The local module cache has a module proxy's layout: third-party
		// modules already downloaded come from there (still checked against
		// go.sum and the checksum database), the others from the network.
		proxies = append(proxies, "file://"+filepath.ToSlash(filepath.Join(strings.TrimSpace(modcache), "cache", "download")))
	}
	for _, p := range strings.Split(strings.TrimSpace(goproxy), ",") {
		if p != "" && p != "off" {
			proxies = append(proxies, p)
		}
	}
	c.env = withEnv(os.Environ(),
		"GOWORK=off",
		"GOMODCACHE="+filepath.Join(c.tmp, "modcache"),
		"GOPROXY="+strings.Join(proxies, ","),
		// The surveyflow modules exist only in the file proxy: not in the
		// checksum database. Everything else is checked as usual.
		"GONOSUMDB="+rootPath,
		// GOPRIVATE and GONOPROXY would make the go command fetch the
		// surveyflow modules directly from the repository, past the proxy.
		"GOPRIVATE=", "GONOPROXY=", "GOINSECURE=",
		"GOFLAGS=-mod=mod",
		"SURVEYFLOW_RELEASECHECK=1",
	)
	c.logf("   GOPROXY=%s", strings.Join(proxies, ","))
	c.logf("   GONOSUMDB=%s GOWORK=off GOFLAGS=-mod=mod GOMODCACHE=<temporary>", rootPath)

	license, _ := os.ReadFile(filepath.Join(src, "LICENSE"))
	var untidy []string
	for _, m := range c.mods {
		note, err := c.release(src, m, version, commitTime, license)
		if err != nil {
			return err
		}
		untidy = append(untidy, note...)
	}
	if len(untidy) > 0 {
		return fmt.Errorf("go.mod files are not tidy (go mod tidy of the release would change more than the surveyflow requirements):\n  %s", strings.Join(untidy, "\n  "))
	}

	if err := c.consumers(version); err != nil {
		return err
	}
	c.logf("== PASS: every module of %s installs through a module proxy at %s (%s)", what, version, time.Since(start).Round(time.Second))
	if outDir != "" {
		if err := c.writeProxy(outDir, version); err != nil {
			return fmt.Errorf("-out %s: %w", outDir, err)
		}
	}
	return nil
}

// preVersion is the pre-release of version that -out publishes:
// v0.1.0-pre.<time, yyyymmddhhmmss UTC>-<commit, 12 hex digits>, or
// -worktree in place of the commit for a working tree. It sorts before
// version and after the pre-releases of earlier commits.
func preVersion(version string, t time.Time, commit string) string {
	if commit == "" {
		commit = "worktree"
	}
	base := strings.TrimSuffix(version, semver.Build(version))
	if p := semver.Prerelease(base); p != "" {
		base = strings.TrimSuffix(base, p)
	}
	return fmt.Sprintf("%s-pre.%s-%s", base, t.UTC().Format("20060102150405"), commit)
}

// writeProxy copies the checked module proxy into dir, adding version to
// the list of each module that dir already holds.
func (c *checker) writeProxy(dir, version string) error {
	src := filepath.Join(c.tmp, "proxy")
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, rel)
		if d.Name() == "list" {
			b = mergeList(dst, version)
		}
		return writeFile(dst, b)
	})
	if err != nil {
		return err
	}
	at := func(p string) string { return p + "@" + version }
	c.logf("== module proxy at %s written to %s", version, dir)
	c.logf("   from a module of your own, with no go.work (README, \"Before the first release\"):")
	c.logf("     export GOPROXY=file://%s,$(go env GOPROXY) GONOSUMDB=%s", filepath.ToSlash(dir), rootPath)
	c.logf("     go get %s", at(rootPath))
	c.logf("     go get %s   # and the like for store/postgres and otel, as needed", at(rootPath+"/store/sqlite"))
	return nil
}

// mergeList returns the list file at name with version added: the
// versions it held, version, one a line, sorted.
func mergeList(name, version string) []byte {
	seen := map[string]bool{version: true}
	versions := []string{version}
	if b, err := os.ReadFile(name); err == nil {
		for _, v := range strings.Fields(string(b)) {
			if semver.IsValid(v) && !seen[v] {
				seen[v] = true
				versions = append(versions, v)
			}
		}
	}
	semver.Sort(versions)
	return []byte(strings.Join(versions, "\n") + "\n")
}

// release does for m what the release procedure does — set its surveyflow
// requirements to version, tidy — and publishes the result in the file
// proxy. It returns the changes tidy made beyond those requirements.
func (c *checker) release(src string, m *mod, version string, t time.Time, license []byte) ([]string, error) {
	dir := filepath.Join(src, filepath.FromSlash(m.dir))
	gomod := filepath.Join(dir, "go.mod")
	before, err := os.ReadFile(gomod)
	if err != nil {
		return nil, err
	}
	mf, err := modfile.Parse(gomod, before, nil)
	if err != nil {
		return nil, err
	}
	orig := requirements(mf)
	for _, d := range m.deps {
		if err := mf.AddRequire(d, version); err != nil {
			return nil, err
		}
	}
	mf.Cleanup()
	edited, err := mf.Format()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(gomod, edited, 0o644); err != nil {
		return nil, err
	}
	if _, err := c.run(dir, withEnv(c.env, "GOFLAGS="), "go", "mod", "tidy"); err != nil {
		return nil, fmt.Errorf("go mod tidy of %s as released: %w", m.path, err)
	}
	after, err := os.ReadFile(gomod)
	if err != nil {
		return nil, err
	}
	tidied, err := modfile.Parse(gomod, after, nil)
	if err != nil {
		return nil, err
	}
	var notes []string
	got := requirements(tidied)
	for p, r := range got {
		if c.released(p) {
			continue
		}
		if o, ok := orig[p]; !ok {
			notes = append(notes, fmt.Sprintf("%s: tidy adds %s", path.Join(m.dir, "go.mod"), r))
		} else if o != r {
			notes = append(notes, fmt.Sprintf("%s: tidy changes %s to %s", path.Join(m.dir, "go.mod"), o, r))
		}
	}
	for p, o := range orig {
		if _, ok := got[p]; !ok && !c.released(p) {
			notes = append(notes, fmt.Sprintf("%s: tidy removes %s", path.Join(m.dir, "go.mod"), o))
		}
	}
	for p := range orig {
		if c.released(p) {
			if _, ok := got[p]; !ok {
				notes = append(notes, fmt.Sprintf("%s: requires %s, which it does not use", path.Join(m.dir, "go.mod"), p))
			}
		}
	}
	sort.Strings(notes)

	if _, err := os.Stat(filepath.Join(dir, "LICENSE")); errors.Is(err, os.ErrNotExist) && len(license) > 0 {
		// The go command copies the repository's LICENSE into the zip of a
		// module in a subdirectory that has none.
		if err := os.WriteFile(filepath.Join(dir, "LICENSE"), license, 0o644); err != nil {
			return nil, err
		}
	}

	mv := module.Version{Path: m.path, Version: version}
	esc, err := module.EscapePath(m.path)
	if err != nil {
		return nil, err
	}
	vdir := filepath.Join(c.tmp, "proxy", filepath.FromSlash(esc), "@v")
	if err := os.MkdirAll(vdir, 0o755); err != nil {
		return nil, err
	}
	var zbuf bytes.Buffer
	if err := zip.CreateFromDir(&zbuf, mv, dir); err != nil {
		return nil, fmt.Errorf("zip of %s: %w", m.path, err)
	}
	info := fmt.Sprintf("{\"Version\":%q,\"Time\":%q}\n", version, t.Format(time.RFC3339))
	for name, b := range map[string][]byte{
		"list":            []byte(version + "\n"),
		version + ".info": []byte(info),
		version + ".mod":  after,
		version + ".zip":  zbuf.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(vdir, name), b, 0o644); err != nil {
			return nil, err
		}
	}
	var deps []string
	for _, d := range m.deps {
		name := strings.TrimPrefix(strings.TrimPrefix(d, rootPath), "/")
		if name == "" {
			name = "the root module"
		}
		deps = append(deps, name)
	}
	needs := ""
	if len(deps) > 0 {
		needs = "; requires " + strings.Join(deps, ", ") + " at " + version
	}
	c.logf("   %-56s tag %-32s zip %4d KiB%s", m.path, m.tagPrefix()+version, zbuf.Len()/1024, needs)
	return notes, nil
}

// requirements maps each required module path to "path version" with
// " // indirect" for indirect ones.
func requirements(f *modfile.File) map[string]string {
	out := map[string]string{}
	for _, r := range f.Require {
		s := r.Mod.Path + " " + r.Mod.Version
		if r.Indirect {
			s += " // indirect"
		}
		out[r.Mod.Path] = s
	}
	return out
}

// program returns a file of testdata of the checked commit (or working
// tree), not of the running tool's directory.
func (c *checker) program(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(c.tmp, "src", "internal", "tools", "releasecheck", "testdata", filepath.FromSlash(name)))
}

// consumers builds and runs the hosts' programs against the file proxy.
func (c *checker) consumers(version string) error {
	at := func(p string) string { return p + "@" + version }

	// A host of the root module alone: no database driver in its graph.
	c.logf("== a host of the root module alone (fresh module, GOWORK=off)")
	core := filepath.Join(c.tmp, "consumer-core")
	if err := c.newConsumer(core, "example.com/host/core", "core"); err != nil {
		return err
	}
	if _, err := c.run(core, c.env, "go", "get", at(rootPath)); err != nil {
		return err
	}
	out, err := c.run(core, c.env, "go", "run", ".")
	if err != nil {
		return err
	}
	fmt.Print(indent(out))
	graph, err := c.run(core, c.env, "go", "list", "-m", "all")
	if err != nil {
		return err
	}
	var leaked []string
	for _, line := range strings.Split(strings.TrimSpace(graph), "\n") {
		p := strings.Fields(line)[0]
		for _, bad := range []string{"github.com/jackc/", "modernc.org/", "github.com/chromedp/", rootPath + "/"} {
			if strings.HasPrefix(p, bad) {
				leaked = append(leaked, line)
			}
		}
	}
	if len(leaked) > 0 {
		return fmt.Errorf("the root module alone pulls into a host's module graph:\n  %s", strings.Join(leaked, "\n  "))
	}
	c.logf("   go list -m all: %d modules, no database driver, no store or example module:", len(strings.Split(strings.TrimSpace(graph), "\n")))
	fmt.Print(indent(graph))

	// A host of every module.
	c.logf("== a host of every module (fresh module, GOWORK=off)")
	full := filepath.Join(c.tmp, "consumer-full")
	if err := c.newConsumer(full, "example.com/host/full", "full"); err != nil {
		return err
	}
	args := []string{"get"}
	for _, m := range c.mods {
		args = append(args, at(m.path))
	}
	if _, err := c.run(full, c.env, "go", args...); err != nil {
		return err
	}
	c.logf("   go %s: ok", strings.Join(args, " "))
	if out, err = c.run(full, c.env, "go", "run", "."); err != nil {
		return err
	}
	fmt.Print(indent(out))
	// Every package of every module, with its tests, type-checks against
	// the released versions (catches a store's test that needs an
	// unreleased root API, or a test dependency missing from go.mod).
	if _, err := c.run(full, c.env, "go", "vet", rootPath+"/..."); err != nil {
		return err
	}
	c.logf("   go vet %s/... (every package of every module, tests included): ok", rootPath)
	graph, err = c.run(full, c.env, "go", "list", "-m", "all")
	if err != nil {
		return err
	}
	selected := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(graph), "\n") {
		if f := strings.Fields(line); len(f) >= 2 {
			selected[f[0]] = f[1]
		}
	}
	for _, m := range c.mods {
		if selected[m.path] != version {
			return fmt.Errorf("the host's graph selects %s %q, want %s", m.path, selected[m.path], version)
		}
	}
	c.logf("   go list -m all: every surveyflow module at %s", version)

	// The examples, the way a reader of the README runs them.
	c.logf("== go install …/examples/…@%s (outside any module)", version)
	bin := filepath.Join(c.tmp, "bin")
	env := withEnv(c.env, "GOFLAGS=", "GOBIN="+bin)
	for _, m := range c.mods {
		if m.dir != "examples" {
			continue
		}
		for _, cmd := range []string{"quickstart", "helpdesk"} {
			if _, err := c.run(c.tmp, env, "go", "install", at(m.path+"/"+cmd)); err != nil {
				return err
			}
			c.logf("   go install %s: ok", at(m.path+"/"+cmd))
		}
		out, err := c.run(c.tmp, nil, filepath.Join(bin, "quickstart"))
		if err != nil {
			return err
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		c.logf("   quickstart ran: %d lines of output, ending %q", len(lines), strings.TrimSpace(lines[len(lines)-1]))
	}
	return nil
}

// newConsumer makes a module in dir with testdata/<program>/main.go and the
// survey they share, testdata/rate.go.
func (c *checker) newConsumer(dir, modPath, program string) error {
	for name, from := range map[string]string{"main.go": program + "/main.go", "rate.go": "rate.go"} {
		src, err := c.program(from)
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, name), src); err != nil {
			return err
		}
	}
	_, err := c.run(dir, c.env, "go", "mod", "init", modPath)
	return err
}
