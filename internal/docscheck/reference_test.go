package docscheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/surveyflow/surveyflow/i18n"
	"github.com/surveyflow/surveyflow/surveyconfig"
)

// reference returns docs/reference.md.
func reference(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "reference.md"))
	if err != nil {
		t.Fatalf("reading the reference: %v", err)
	}
	return string(b)
}

// missing reports each name that the reference does not show as code.
func missing(t *testing.T, doc, what string, names []string) {
	t.Helper()
	for _, n := range names {
		if !strings.Contains(doc, "`"+n+"`") {
			t.Errorf("docs/reference.md does not list the %s `%s`", what, n)
		}
	}
}

func TestEveryDefinitionKeyIsInTheReference(t *testing.T) {
	var keys []string
	typ := reflect.TypeFor[surveyconfig.Definition]()
	for i := range typ.NumField() {
		tag := strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]
		if tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	if len(keys) < 20 {
		t.Fatalf("found only %d keys: the check reads the wrong type", len(keys))
	}
	missing(t, reference(t), "survey definition key", keys)
}

func TestEveryTextKeyAndPlaceholderIsInTheReference(t *testing.T) {
	doc := reference(t)
	var keys []string
	for _, k := range i18n.ShippedKeys() {
		if !strings.Contains(string(k), ".") || !isLabel(string(k)) {
			keys = append(keys, string(k))
		}
	}
	missing(t, doc, "text key", keys)
	var placeholders []string
	for _, p := range i18n.KnownPlaceholders {
		placeholders = append(placeholders, "{"+p+"}")
	}
	missing(t, doc, "placeholder", placeholders)
}

// isLabel reports whether k is a scale option's label ("csat5.4").
func isLabel(k string) bool {
	dot := strings.LastIndexByte(k, '.')
	if dot < 0 {
		return false
	}
	for _, r := range k[dot+1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// TestEveryErrorIsInTheReference reads every package of the repository
// (tests, examples and internal tools aside) for package-level Err…
// variables and checks the reference names each.
func TestEveryErrorIsInTheReference(t *testing.T) {
	var errs []string
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "examples", "internal", "testdata", ".git":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.VAR {
				continue
			}
			for _, spec := range gen.Specs {
				for _, name := range spec.(*ast.ValueSpec).Names {
					if strings.HasPrefix(name.Name, "Err") && name.IsExported() {
						errs = append(errs, name.Name)
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(errs) < 20 {
		t.Fatalf("found only %d errors: the walk missed the packages", len(errs))
	}
	missing(t, reference(t), "error", errs)
}
