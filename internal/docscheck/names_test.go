package docscheck

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// The Markdown of the repository may name a Go identifier of ours only if
// the code defines it. The names are read from the source with go/parser,
// every module of the repository at once (no build, no go/packages), in the
// forms Markdown writes them: pkg.Name, Type.Member and pkg.Type.Member.

// goNames is what the repository's Go code defines.
type goNames struct {
	defined map[string]bool     // "pkg.Name", "Type.Member", "pkg.Type.Member"
	embeds  map[string][]string // type → the types it embeds or aliases
	pkgs    map[string]bool     // package names
	types   map[string]bool     // exported type names, of any package
}

// walkFiles calls fn for each file under root whose name ends in suffix,
// leaving out testdata, vendored and hidden trees.
func walkFiles(root, suffix string, fn func(path string) error) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "vendor" || name == "node_modules" ||
				strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, suffix) {
			return nil
		}
		return fn(path)
	})
}

// readGoNames reads every non-test Go file under root.
func readGoNames(root string) (*goNames, error) {
	n := &goNames{defined: map[string]bool{}, embeds: map[string][]string{}, pkgs: map[string]bool{}, types: map[string]bool{}}
	fset := token.NewFileSet()
	err := walkFiles(root, ".go", func(path string) error {
		if strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		n.addFile(f)
		return nil
	})
	return n, err
}

// addFile adds the exported names of one file.
func (n *goNames) addFile(f *ast.File) {
	pkg := f.Name.Name
	n.pkgs[pkg] = true
	member := func(typ, name string) {
		n.defined[typ+"."+name] = true
		n.defined[pkg+"."+typ+"."+name] = true
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			if d.Recv == nil || len(d.Recv.List) == 0 {
				n.defined[pkg+"."+d.Name.Name] = true
			} else if typ := baseName(d.Recv.List[0].Type); typ != "" {
				member(typ, d.Name.Name)
			}
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				switch s := spec.(type) {
				case *ast.ValueSpec:
					for _, name := range s.Names {
						if name.IsExported() {
							n.defined[pkg+"."+name.Name] = true
						}
					}
				case *ast.TypeSpec:
					if !s.Name.IsExported() {
						continue
					}
					typ := s.Name.Name
					n.defined[pkg+"."+typ] = true
					n.types[typ] = true
					if s.Assign.IsValid() { // an alias has its target's members
						if target := baseName(s.Type); target != "" {
							n.embeds[typ] = append(n.embeds[typ], target)
						}
						continue
					}
					n.addMembers(typ, s.Type, member)
				}
			}
		}
	}
}

// addMembers adds a struct's fields or an interface's methods, and records
// what it embeds (whose members it has too).
func (n *goNames) addMembers(typ string, e ast.Expr, member func(typ, name string)) {
	var fields []*ast.Field
	switch t := e.(type) {
	case *ast.StructType:
		fields = t.Fields.List
	case *ast.InterfaceType:
		fields = t.Methods.List
	}
	for _, f := range fields {
		if len(f.Names) == 0 { // embedded: the field is named after its type
			if name := baseName(f.Type); name != "" {
				n.embeds[typ] = append(n.embeds[typ], name)
				if ast.IsExported(name) {
					member(typ, name)
				}
			}
			continue
		}
		for _, name := range f.Names {
			if name.IsExported() {
				member(typ, name.Name)
			}
		}
	}
}

// baseName is the name of the type e refers to, without pointer, package
// qualifier or type arguments: "Store" for *survey.Store[K].
func baseName(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.StarExpr:
		return baseName(t.X)
	case *ast.SelectorExpr:
		return t.Sel.Name
	case *ast.IndexExpr:
		return baseName(t.X)
	case *ast.IndexListExpr:
		return baseName(t.X)
	}
	return ""
}

// hasMember reports whether typ (a type of any package) has a field or
// method called m, itself or through what it embeds.
func (n *goNames) hasMember(typ, m string, seen map[string]bool) bool {
	if n.defined[typ+"."+m] {
		return true
	}
	if seen[typ] {
		return false
	}
	seen[typ] = true
	for _, e := range n.embeds[typ] {
		if n.hasMember(e, m, seen) {
			return true
		}
	}
	return false
}

// ours reports whether a dotted name is one the check judges: its first
// part is a package or an exported type of ours. Anything else (http.Handler,
// time.Time, a variable in a code example) is not ours to judge.
func (n *goNames) ours(parts []string) bool {
	return n.pkgs[parts[0]] || n.types[parts[0]]
}

// exists reports whether the code defines the dotted name. Past a type's
// member the type of that member is unknown, so only the first member of a
// chain is checked ("Result.Session.ID" checks Result.Session).
func (n *goNames) exists(parts []string) bool {
	if n.pkgs[parts[0]] {
		if !n.defined[parts[0]+"."+parts[1]] {
			return false
		}
		return len(parts) < 3 || n.hasMember(parts[1], parts[2], map[string]bool{})
	}
	return n.hasMember(parts[0], parts[1], map[string]bool{})
}

// A finding is a name that Markdown mentions and the code does not define.
type finding struct {
	file string
	line int
	name string
}

func (f finding) String() string {
	return fmt.Sprintf("%s:%d: `%s` names nothing the Go code of this repository defines", f.file, f.line, f.name)
}

// testFunc matches the last part of a test function's name: not API.
var testFunc = regexp.MustCompile(`^(Test|Benchmark|Fuzz|Example)`)

// check returns the findings in one Markdown file's text, and how many
// names of ours it checked.
func (n *goNames) check(file, text string) (found []finding, checked int) {
	for _, c := range codeOf(text) {
		for _, tok := range dottedNames(c.text) {
			parts := strings.Split(tok.name, ".")
			if !n.ours(parts) || testFunc.MatchString(parts[len(parts)-1]) {
				continue
			}
			checked++
			if !n.exists(parts) {
				found = append(found, finding{file, c.line + strings.Count(c.text[:tok.at], "\n"), tok.name})
			}
		}
	}
	return found, checked
}

// code is a piece of a Markdown file that holds code: a fenced block's
// line, or an inline code span (which may run over lines of a paragraph).
type code struct {
	line int // the line it starts on, from 1
	text string
}

// codeOf returns the code in a Markdown file: each line of a fenced block
// (``` or ~~~), and each inline code span of the rest. A span is a run of
// backticks, the text up to the next run of the same length, within one
// paragraph (CommonMark's rule, without its escapes).
func codeOf(text string) []code {
	var out []code
	lines := strings.Split(text, "\n")
	var para []string // the paragraph being gathered
	paraStart := 0
	flush := func() {
		if len(para) > 0 {
			out = append(out, spans(strings.Join(para, "\n"), paraStart)...)
		}
		para = nil
	}
	fence := ""
	for i, l := range lines {
		trimmed := strings.TrimSpace(l)
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, fence[:1]) == "" {
				fence = ""
				continue
			}
			out = append(out, code{i + 1, l})
			continue
		}
		if f := fenceOf(trimmed); f != "" {
			flush()
			fence = f
			continue
		}
		if trimmed == "" {
			flush()
			continue
		}
		if len(para) == 0 {
			paraStart = i + 1
		}
		para = append(para, l)
	}
	flush()
	return out
}

// fenceOf returns the fence a line opens (its run of three or more
// backticks or tildes), or "".
func fenceOf(trimmed string) string {
	for _, c := range []string{"`", "~"} {
		if strings.HasPrefix(trimmed, c+c+c) {
			return trimmed[:len(trimmed)-len(strings.TrimLeft(trimmed, c))]
		}
	}
	return ""
}

// spans returns the inline code spans of a paragraph that starts on line.
func spans(p string, line int) []code {
	var out []code
	for i := 0; i < len(p); {
		if p[i] != '`' {
			i++
			continue
		}
		run := ticks(p[i:])
		end := -1
		for j := i + run; j < len(p); {
			if p[j] != '`' {
				j++
				continue
			}
			r := ticks(p[j:])
			if r == run {
				end = j
				break
			}
			j += r
		}
		if end < 0 { // no closing run: literal backticks
			i += run
			continue
		}
		out = append(out, code{line + strings.Count(p[:i+run], "\n"), p[i+run : end]})
		i = end + run
	}
	return out
}

// ticks counts the backticks s starts with.
func ticks(s string) int {
	return len(s) - len(strings.TrimLeft(s, "`"))
}

// A dotted name found in code, and its byte offset there.
type dotted struct {
	name string
	at   int
}

// dottedNames returns the names in a piece of code that look like Go
// identifiers of a package or type: pkg.Name or Type.Member, with further
// .Member parts. A name in a path or a flag (store/sqlite.New, a-b.C) is
// not one; a chain stops at its first part that is not exported
// ("res.Session.ID" gives nothing, "report.Filter.x" gives report.Filter).
func dottedNames(s string) []dotted {
	var out []dotted
	isWord := func(c byte) bool {
		return c == '_' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	}
	for i := 0; i < len(s); {
		if !isWord(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isWord(s[j]) {
			j++
		}
		word := s[i:j]
		inPath := i > 0 && (s[i-1] == '/' || s[i-1] == '-') || j < len(s) && (s[j] == '/' || s[j] == '-')
		if !inPath {
			if name := identPrefix(word); name != "" {
				out = append(out, dotted{name, i})
			}
		}
		i = j
	}
	return out
}

// firstPart matches what may start a name: a package name or an exported
// identifier.
var firstPart = regexp.MustCompile(`^([a-z][a-z0-9]*|[A-Z][A-Za-z0-9_]*)$`)

// identPrefix returns the longest prefix of word that is a first part and
// one or more exported parts, joined by dots; or "".
func identPrefix(word string) string {
	parts := strings.Split(word, ".")
	if len(parts) < 2 || !firstPart.MatchString(parts[0]) {
		return ""
	}
	n := 1
	for n < len(parts) && token.IsExported(parts[n]) && token.IsIdentifier(parts[n]) {
		n++
	}
	if n < 2 {
		return ""
	}
	return strings.Join(parts[:n], ".")
}

// markdownFiles lists the Markdown files under root, as slash paths
// relative to it.
func markdownFiles(root string) ([]string, error) {
	var files []string
	err := walkFiles(root, ".md", func(path string) error {
		rel, err := filepath.Rel(root, path)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	sort.Strings(files)
	return files, err
}

// TestMarkdownNamesOnlyIdentifiersThatExist reads every Markdown file of
// the repository (README.md, docs/, the other top-level files, the stores'
// and examples' READMEs) and fails on each name of a package or type of
// ours, in code spans and fenced blocks, that the Go code does not define.
func TestMarkdownNamesOnlyIdentifiersThatExist(t *testing.T) {
	root := filepath.Join("..", "..")
	names, err := readGoNames(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"survey.Engine", "Engine.Deliver", "Config.Store", "report.Build"} {
		if !names.exists(strings.Split(want, ".")) {
			t.Fatalf("the names read from the code lack %s: the walk missed the packages", want)
		}
	}
	files, err := markdownFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		found, checked := names.check(f, string(bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))))
		total += checked
		for _, x := range found {
			t.Error(x)
		}
	}
	if total < 100 {
		t.Fatalf("checked only %d names in %d Markdown files: the check reads the wrong files", total, len(files))
	}
	t.Logf("%d Markdown files, %d names of ours checked", len(files), total)
}

// TestTheNameCheckFindsMadeUpNames feeds the check Markdown that names
// made-up identifiers of ours, in prose code spans, in a span over two
// lines, in a table and in a fenced block, beside real and foreign names.
func TestTheNameCheckFindsMadeUpNames(t *testing.T) {
	names, err := readGoNames(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join([]string{
		"# A page", // 1
		"",         // 2
		"Call `survey.NoSuchThing` and then `Engine.NoSuchMethod`; set `Config.NoSuchField`.",             // 3
		"Real: `Engine.Deliver`, `survey.Effect`, `DeliverOptions.MinAge`, `survey.Engine.Deliver`",       // 4
		"and `Session.Turns`, `report.Build(ctx, st, \"acme\", report.Options{})`, `ratingpage.Handler`.", // 5
		"Foreign: `http.Handler`, `time.Time`, `pgxpool.Pool`, `res.Session.NoSuch`, `go.work`.",          // 6
		"Paths and tests: `store/sqlite.NoSuch`, `survey.TestNoSuchTest`, `v0.1.0`, `RELEASING.md`.",      // 7
		"A span over two lines: `engine.Acknowledge(ctx, tenant,",                                         // 8
		"survey.EffectNoSuch)` ends here.",                                                                // 9
		"",                                                                                                // 10
		"| need | how |",                                                                                  // 11
		"| --- | --- |",                                                                                   // 12
		"| a row | `survey.Engine.NoSuchMethod`, `Result.Session.ID` |",                                   // 13
		"",      // 14
		"```go", // 15
		"engine, err := survey.New(survey.Config{Store: memory.New()})", // 16
		"report.NoSuchFunc(ctx, time.Now(), http.StatusOK)",             // 17
		"```",                                // 18
		"",                                   // 19
		"`` `survey.NoSuchInDoubleTicks` ``", // 20
	}, "\n")
	found, checked := names.check("made-up.md", doc)
	var got []string
	for _, f := range found {
		got = append(got, fmt.Sprintf("%s:%d %s", f.file, f.line, f.name))
	}
	want := []string{
		"made-up.md:3 survey.NoSuchThing",
		"made-up.md:3 Engine.NoSuchMethod",
		"made-up.md:3 Config.NoSuchField",
		"made-up.md:9 survey.EffectNoSuch",
		"made-up.md:13 survey.Engine.NoSuchMethod",
		"made-up.md:17 report.NoSuchFunc",
		"made-up.md:20 survey.NoSuchInDoubleTicks",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Real names count as checked: 3 made up on line 3, 8 real on lines
	// 4–5 (report.Options inside the call too), 1 on line 9, 2 in the
	// table, 4 in the fenced block (survey.New, survey.Config, memory.New,
	// report.NoSuchFunc), 1 in double ticks.
	if checked != 19 {
		t.Errorf("checked %d names, want 19", checked)
	}
	if len(found) == 0 {
		return
	}
	if msg := found[0].String(); !strings.Contains(msg, "made-up.md:3:") || !strings.Contains(msg, "`survey.NoSuchThing`") {
		t.Errorf("a finding reads %q: want the file, the line and the name", msg)
	}
}

// TestTheNameCheckFollowsEmbeddingAndAliases checks members reached
// through an embedded type or an alias, on a package of its own.
func TestTheNameCheckFollowsEmbeddingAndAliases(t *testing.T) {
	src := `package demo

type Base struct{ ID string }

func (Base) Hello() {}

type Outer struct {
	*Base
	Name string
}

type Alias = Outer

type Port interface {
	Base2
	Read() error
}

type Base2 interface{ Close() error }

const Limit = 3
`
	f, err := parser.ParseFile(token.NewFileSet(), "demo.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	n := &goNames{defined: map[string]bool{}, embeds: map[string][]string{}, pkgs: map[string]bool{}, types: map[string]bool{}}
	n.addFile(f)
	for name, want := range map[string]bool{
		"demo.Limit": true, "demo.Outer": true, "Outer.Name": true, "Outer.ID": true, "Outer.Hello": true,
		"Outer.Base": true, "Alias.Name": true, "Alias.Hello": true, "demo.Alias.ID": true,
		"Port.Read": true, "Port.Close": true,
		"demo.Nothing": false, "Outer.Nothing": false, "Alias.Nothing": false, "Port.Write": false,
		"demo.Outer.Nothing": false,
	} {
		if got := n.exists(strings.Split(name, ".")); got != want {
			t.Errorf("exists(%s) = %v, want %v", name, got, want)
		}
	}
}
