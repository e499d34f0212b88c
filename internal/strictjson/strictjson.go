// Package strictjson checks a JSON document for what encoding/json lets
// through silently: data after the document, an object with the same key
// twice (encoding/json keeps the last), and a key that matches a struct
// field only when case is ignored (encoding/json takes "ID" and "Send_Delay"
// for "id" and "send_delay"). It walks the document once with
// json.Decoder.Token before the caller decodes it, and every problem is an
// *Error with the line, column and byte offset and the JSON path of the
// offending key.
package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxDepth bounds how deeply arrays and objects may nest, as encoding/json
// bounds it when decoding.
const MaxDepth = 10000

// Schema describes the objects of a JSON value for Check. A nil *Schema is
// any JSON value: Check then only refuses data after the document and
// duplicate keys.
type Schema struct {
	// Fields, when not nil, makes the value an object with exactly these
	// keys (a struct's JSON names), each with the schema of its value.
	Fields map[string]*Schema
	// Elem is the schema of an array's elements, or of the values of an
	// object with free keys (a map).
	Elem *Schema
	// SameKey, for an object with free keys, maps a key to the form under
	// which two keys are one; nil means keys are one only when equal.
	SameKey func(key string) string
	// KeyMeans names what SameKey compares ("language"), for the message.
	KeyMeans string
}

// Field returns the schema of the value of key in an object of s, nil when
// s knows nothing of it.
func (s *Schema) Field(key string) *Schema {
	switch {
	case s == nil:
		return nil
	case s.Fields != nil:
		return s.Fields[key]
	}
	return s.Elem
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// SchemaOf derives the schema of t as encoding/json decodes it: a struct is
// an object whose keys are its fields' JSON names (from the json tag, or
// the field name), a map an object with free keys, a slice or array an
// array. A type that decodes itself (json.Unmarshaler or
// encoding.TextUnmarshaler) checks its own keys, so its schema is nil.
func SchemaOf(t reflect.Type) *Schema {
	return schemaOf(t, map[reflect.Type]*Schema{})
}

func schemaOf(t reflect.Type, done map[reflect.Type]*Schema) *Schema {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if s, ok := done[t]; ok {
		return s
	}
	pt := reflect.PointerTo(t)
	if pt.Implements(jsonUnmarshaler) || pt.Implements(textUnmarshaler) {
		return nil
	}
	switch t.Kind() {
	case reflect.Struct:
		s := &Schema{Fields: map[string]*Schema{}}
		done[t] = s
		addFields(s, t, done)
		return s
	case reflect.Map, reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return nil // []byte is a base64 string
		}
		s := &Schema{}
		done[t] = s
		s.Elem = schemaOf(t.Elem(), done)
		return s
	}
	return nil
}

// addFields adds the JSON names of t's fields to s; the fields of an
// embedded struct without a name are promoted unless s has them already.
func addFields(s *Schema, t reflect.Type, done map[reflect.Type]*Schema) {
	var embedded []reflect.Type
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			embedded = append(embedded, ft)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		s.Fields[name] = schemaOf(f.Type, done)
	}
	for _, et := range embedded {
		inner := schemaOf(et, done)
		if inner == nil || inner.Fields == nil {
			continue
		}
		for name, fs := range inner.Fields {
			if _, ok := s.Fields[name]; !ok {
				s.Fields[name] = fs
			}
		}
	}
}

// Error is one problem found by Check.
type Error struct {
	// Offset is the byte offset of the problem in the document, from 0.
	Offset int64
	// Line and Column place Offset, both from 1; Column counts
	// characters, not bytes.
	Line, Column int
	// Path is the JSON path of the offending key or value, e.g.
	// "surveys[0].texts.es"; empty at the top of the document.
	Path string
	// Problem says what is wrong.
	Problem string
}

// Error implements error.
func (e *Error) Error() string {
	at := fmt.Sprintf("line %d, column %d (byte offset %d)", e.Line, e.Column, e.Offset)
	if e.Path == "" {
		return at + ": " + e.Problem
	}
	return e.Path + " at " + at + ": " + e.Problem
}

// frame is an array or object the walk is inside.
type frame struct {
	schema *Schema
	object bool
	n      int              // array: index of the current element
	key    string           // object: the key of the current value
	hasKey bool             // object: key read, its value not yet done
	keys   map[string]taken // object: keys so far, by their SameKey form
}

// taken is a key an object has: as written, and where.
type taken struct {
	key    string
	offset int64
}

type walker struct {
	data  []byte
	stack []*frame
}

// Check walks data, one JSON value, with the schema s and returns an *Error
// for the first problem: a syntax error, data after the value, a key given
// twice in one object (or two keys that SameKey makes one), a key that is
// not one of Fields (named with its right spelling when it differs only in
// case), or nesting deeper than MaxDepth.
func Check(data []byte, s *Schema) error {
	w := walker{data: data}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for {
		before := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return w.tokenErr(err, before)
		}
		if top := w.top(); top != nil && top.object && !top.hasKey {
			if tok != json.Delim('}') {
				if err := w.key(top, tok, before); err != nil {
					return err
				}
				continue
			}
			w.stack = w.stack[:len(w.stack)-1]
		} else {
			switch tok {
			case json.Delim('{'), json.Delim('['):
				if len(w.stack) >= MaxDepth {
					return w.errAt(w.skip(before, ",:"), fmt.Sprintf("arrays and objects nest deeper than %d", MaxDepth))
				}
				child := s
				if top != nil {
					child = top.child()
				}
				w.stack = append(w.stack, &frame{schema: child, object: tok == json.Delim('{')})
				continue
			case json.Delim(']'):
				w.stack = w.stack[:len(w.stack)-1]
			}
		}
		// A value has ended: the document, or one element or key's value.
		top := w.top()
		if top == nil {
			break
		}
		if top.object {
			top.hasKey = false
		} else {
			top.n++
		}
	}
	if rest := w.skip(dec.InputOffset(), ""); rest < int64(len(data)) {
		return w.errAt(rest, "data after the document")
	}
	return nil
}

func (w *walker) top() *frame {
	if len(w.stack) == 0 {
		return nil
	}
	return w.stack[len(w.stack)-1]
}

// child is the schema of the current element or key's value of f.
func (f *frame) child() *Schema {
	if f.object {
		return f.schema.Field(f.key)
	}
	if f.schema == nil {
		return nil
	}
	return f.schema.Elem
}

// key takes the next key of the object f; before is where the walk was
// before the key's token.
func (w *walker) key(f *frame, tok json.Token, before int64) error {
	key, ok := tok.(string)
	if !ok { // encoding/json gives only strings here
		return w.errAt(before, fmt.Sprintf("want a key, not %v", tok))
	}
	f.key, f.hasKey = key, true
	at := w.skip(before, ",")
	s := f.schema
	if s != nil && s.Fields != nil {
		if _, known := s.Fields[key]; !known {
			names := make([]string, 0, len(s.Fields))
			for name := range s.Fields {
				names = append(names, name)
			}
			slices.Sort(names)
			for _, name := range names {
				if strings.EqualFold(name, key) {
					return w.errAt(at, fmt.Sprintf("key %s must be written %s: keys are case-sensitive", quote(key), quote(name)))
				}
			}
			return w.errAt(at, "unknown key "+quote(key))
		}
	}
	same := key
	if s != nil && s.Fields == nil && s.SameKey != nil {
		same = s.SameKey(key)
	}
	prev, dup := f.keys[same]
	switch {
	case dup && prev.key == key:
		return w.errAt(at, fmt.Sprintf("key %s appears twice in one object (first at %s)", quote(key), w.place(prev.offset)))
	case dup:
		return w.errAt(at, fmt.Sprintf("key %s names the same %s as %s (at %s)", quote(key), s.KeyMeans, quote(prev.key), w.place(prev.offset)))
	}
	if f.keys == nil {
		f.keys = map[string]taken{}
	}
	f.keys[same] = taken{key: key, offset: at}
	return nil
}

// tokenErr turns an error of json.Decoder.Token into an *Error.
func (w *walker) tokenErr(err error, before int64) error {
	var syntax *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return w.errAt(int64(len(w.data)), "unexpected end of JSON input")
	case errors.As(err, &syntax):
		return w.errAt(min(max(syntax.Offset, 0), int64(len(w.data))), syntax.Error())
	}
	return w.errAt(before, err.Error())
}

// skip returns the offset of the first byte at or after off that is
// neither JSON white space nor one of also.
func (w *walker) skip(off int64, also string) int64 {
	for off < int64(len(w.data)) {
		switch c := w.data[off]; {
		case c == ' ', c == '\t', c == '\n', c == '\r', strings.IndexByte(also, c) >= 0:
			off++
		default:
			return off
		}
	}
	return off
}

func (w *walker) errAt(off int64, problem string) *Error {
	return ErrorAt(w.data, off, w.path(), problem)
}

// ErrorAt returns the *Error of a problem found in data by other means
// than Check (decoding a value, validating it): at byte offset off (a
// value's first byte, say), under the JSON path path.
func ErrorAt(data []byte, off int64, path, problem string) *Error {
	off = min(max(off, 0), int64(len(data)))
	line, col := (&walker{data: data}).lineColumn(off)
	return &Error{Offset: off, Line: line, Column: col, Path: path, Problem: problem}
}

// Skip returns the offset of the first byte of data at or after off that
// is neither JSON white space nor one of also: where the next token starts
// (with also ":," after json.Decoder.InputOffset, the next value).
func Skip(data []byte, off int64, also string) int64 {
	return (&walker{data: data}).skip(off, also)
}

func (w *walker) lineColumn(off int64) (line, col int) {
	before := w.data[:off]
	start := bytes.LastIndexByte(before, '\n') + 1
	return bytes.Count(before, []byte{'\n'}) + 1, utf8.RuneCount(before[start:]) + 1
}

func (w *walker) place(off int64) string {
	line, col := w.lineColumn(off)
	return fmt.Sprintf("line %d, column %d", line, col)
}

// path is the JSON path of where the walk is: the keys and indexes of the
// open objects and arrays, with the middle left out ("…") when they are
// more than pathHead+pathTail.
func (w *walker) path() string {
	var b strings.Builder
	for i, f := range w.stack {
		if n := len(w.stack); n > pathHead+pathTail && i >= pathHead && i < n-pathTail {
			if i == pathHead {
				b.WriteString("…")
			}
			continue
		}
		switch {
		case !f.object:
			b.WriteString("[" + strconv.Itoa(f.n) + "]")
		case f.hasKey && plain(f.key):
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		case f.hasKey:
			b.WriteString("[" + quote(f.key) + "]")
		}
	}
	return b.String()
}

// pathHead and pathTail are how many of the outermost and innermost
// levels a long path shows.
const pathHead, pathTail = 4, 12

// plain reports whether a key can stand in a path without quotes.
func plain(key string) bool {
	if key == "" || len(key) > maxQuoted {
		return false
	}
	for _, c := range key {
		if !(c == '_' || c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// maxQuoted is how many characters of a key a message quotes.
const maxQuoted = 40

// quote quotes a key for a message, cut to maxQuoted characters.
func quote(key string) string {
	if utf8.RuneCountInString(key) > maxQuoted {
		key = string([]rune(key)[:maxQuoted]) + "…"
	}
	return strconv.Quote(key)
}
