package surveyconfig

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/surveyflow/surveyflow/internal/strictjson"
	"github.com/surveyflow/surveyflow/survey"
)

// noSurveys ends the error of a document that holds no list of surveys.
const noSurveys = `write {"surveys": []} for no surveys`

// decoder reads a document that strictjson.Check accepted (valid JSON,
// known keys each once) one value at a time, so that a value of the wrong
// type, or one its own decoding refuses (a bad duration), is an error
// with its JSON path, its survey and its line and column.
type decoder struct {
	data []byte // the whole document
	who  string // the survey being read, for messages
}

// decodeFile reads data, which strictjson.Check accepted, into f.
func decodeFile(data []byte) (File, error) {
	d := &decoder{data: data}
	if i := invalidUTF8(data); i >= 0 {
		return File{}, fmt.Errorf("%w: %w: %w", ErrInvalid, survey.ErrInvalidInput,
			strictjson.ErrorAt(data, int64(i), "", "the document is not valid UTF-8 (text and IDs must be)"))
	}
	start := strictjson.Skip(data, 0, "")
	if kind(data[start:]) != "an object" {
		return File{}, d.errAt(start, "", `want an object such as {"surveys": […]}, not `+kind(data[start:])+"; "+noSurveys)
	}
	var f File
	found := false
	err := d.object(data[start:], start, "", func(key string, raw []byte, off int64, path string) error {
		found = true // strictjson allows no other key
		if k := kind(raw); k != "a list" {
			return d.errAt(off, path, "want a list of surveys, not "+k+"; "+noSurveys)
		}
		return d.list(raw, off, path, func(i int, raw []byte, off int64, path string) error {
			d.who = surveyName(raw, i)
			var def Definition
			if err := d.value(raw, off, path, reflect.ValueOf(&def).Elem()); err != nil {
				return err
			}
			f.Surveys = append(f.Surveys, def)
			return nil
		})
	})
	if err != nil {
		return File{}, err
	}
	if !found {
		return File{}, d.errAt(start, "", `no "surveys" key; `+noSurveys)
	}
	return f, nil
}

// surveyName names the i-th survey in messages by its ID, if it has one.
func surveyName(raw []byte, i int) string {
	var s struct {
		ID json.RawMessage `json:"id"`
	}
	var id string
	if json.Unmarshal(raw, &s) == nil && json.Unmarshal(s.ID, &id) == nil {
		return strconv.Quote(id)
	}
	return strconv.Itoa(i) + ` (no "id")`
}

// value decodes raw, found at off under path, into v: key by key into a
// struct or map, element by element into a list, and as a whole into
// anything that decodes itself or holds no keys.
func (d *decoder) value(raw []byte, off int64, path string, v reflect.Value) error {
	t := v.Type()
	if reflect.PointerTo(t).Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return d.whole(raw, off, path, v)
	}
	switch {
	case t.Kind() == reflect.Pointer && kind(raw) != "null":
		p := reflect.New(t.Elem())
		if err := d.value(raw, off, path, p.Elem()); err != nil {
			return err
		}
		v.Set(p)
		return nil
	case t.Kind() == reflect.Struct && kind(raw) == "an object":
		fields := jsonFields(t)
		return d.object(raw, off, path, func(key string, raw []byte, off int64, path string) error {
			i, ok := fields[key]
			if !ok { // strictjson refused unknown keys; decode as encoding/json would
				return d.whole(raw, off, path, reflect.New(reflect.TypeFor[any]()).Elem())
			}
			return d.value(raw, off, path, v.Field(i))
		})
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && kind(raw) == "an object":
		m := reflect.MakeMap(t)
		err := d.object(raw, off, path, func(key string, raw []byte, off int64, path string) error {
			e := reflect.New(t.Elem()).Elem()
			if err := d.value(raw, off, path, e); err != nil {
				return err
			}
			m.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), e)
			return nil
		})
		if err == nil {
			v.Set(m)
		}
		return err
	case t.Kind() == reflect.Slice && kind(raw) == "a list":
		s := reflect.MakeSlice(t, 0, 0)
		err := d.list(raw, off, path, func(_ int, raw []byte, off int64, path string) error {
			e := reflect.New(t.Elem()).Elem()
			if err := d.value(raw, off, path, e); err != nil {
				return err
			}
			s = reflect.Append(s, e)
			return nil
		})
		if err == nil {
			v.Set(s)
		}
		return err
	}
	return d.whole(raw, off, path, v)
}

// whole decodes raw into v with encoding/json.
func (d *decoder) whole(raw []byte, off int64, path string, v reflect.Value) error {
	err := json.Unmarshal(raw, v.Addr().Interface())
	if err == nil {
		return nil
	}
	problem := err.Error()
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Type != nil {
		problem = "want " + describe(te.Type) + ", not " + kind(raw)
	}
	return d.errAt(off, path, problem)
}

// object calls each for every key of the object raw (at off, under path)
// with its value, the value's offset and its path.
func (d *decoder) object(raw []byte, off int64, path string, each func(key string, raw []byte, off int64, path string) error) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return d.errAt(off, path, err.Error())
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return d.errAt(off, path, err.Error())
		}
		key, _ := tok.(string)
		at := strictjson.Skip(raw, dec.InputOffset(), ":")
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return d.errAt(off+at, path, err.Error())
		}
		if err := each(key, value, off+at, keyPath(path, key)); err != nil {
			return err
		}
	}
	return nil
}

// list calls each for every element of the array raw (at off, under path).
func (d *decoder) list(raw []byte, off int64, path string, each func(i int, raw []byte, off int64, path string) error) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return d.errAt(off, path, err.Error())
	}
	for i := 0; dec.More(); i++ {
		at := strictjson.Skip(raw, dec.InputOffset(), ",")
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return d.errAt(off+at, path, err.Error())
		}
		if err := each(i, value, off+at, path+"["+strconv.Itoa(i)+"]"); err != nil {
			return err
		}
	}
	return nil
}

// errAt is the error of a problem at off under path, naming the survey
// being read.
func (d *decoder) errAt(off int64, path, problem string) error {
	if d.who != "" {
		problem = "survey " + d.who + ": " + problem
	}
	return fmt.Errorf("%w: %w", ErrInvalid, strictjson.ErrorAt(d.data, off, path, problem))
}

func keyPath(path, key string) string {
	if path == "" {
		return key
	}
	if plainKey(key) {
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

// plainKey reports whether key can stand in a path without quotes.
func plainKey(key string) bool {
	if key == "" {
		return false
	}
	for _, c := range key {
		if !(c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// jsonFields maps the JSON names of t's fields to their indexes.
func jsonFields(t reflect.Type) map[string]int {
	out := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		out[name] = i
	}
	return out
}

// kind names the JSON value that starts raw, for messages.
func kind(raw []byte) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "true or false"
	case 'n':
		return "null"
	}
	return "a number"
}

// describe names what a value of Go type t is in JSON, for messages.
func describe(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.String {
			return "a list of strings"
		}
		return "a list"
	case reflect.Pointer:
		return describe(t.Elem())
	}
	return "an object"
}

// invalidUTF8 is the offset of the first byte of data that is not valid
// UTF-8, -1 when there is none.
func invalidUTF8(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return -1
}
