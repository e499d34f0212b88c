package strictjson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/surveyflow/surveyflow/internal/strictjson"
)

type inner struct {
	Name  string            `json:"name"`
	Kind  string            `json:"kind"`
	Tags  map[string]string `json:"tags,omitempty"`
	Skip  string            `json:"-"`
	Plain int
}

type self struct {
	Next *self `json:"next"`
}

type outer struct {
	ID    string   `json:"id"`
	Items []inner  `json:"items"`
	When  stamp    `json:"when"`
	Self  self     `json:"self"`
	Raw   []byte   `json:"raw"`
	Wait  duration `json:"wait"`
	embedded
}

type embedded struct {
	Extra string `json:"extra"`
}

type stamp struct{ time.Time }

type duration struct{ Inner struct{ X int } }

func (d *duration) UnmarshalJSON([]byte) error { return nil }

func TestSchemaOfFollowsEncodingJSON(t *testing.T) {
	s := strictjson.SchemaOf(reflect.TypeFor[outer]())
	require.NotNil(t, s)
	keys := func(s *strictjson.Schema) []string {
		var out []string
		for k := range s.Fields {
			out = append(out, k)
		}
		return out
	}
	assert.ElementsMatch(t, []string{"id", "items", "when", "self", "raw", "wait", "extra"}, keys(s))
	item := s.Fields["items"].Elem
	assert.ElementsMatch(t, []string{"name", "kind", "tags", "Plain"}, keys(item), `"-" is left out, an untagged field keeps its name`)
	assert.Nil(t, item.Fields["tags"].Fields, "a map has free keys")
	assert.Nil(t, s.Fields["when"], "a TextUnmarshaler (time.Time promoted) decodes itself")
	assert.Nil(t, s.Fields["wait"], "a json.Unmarshaler decodes itself")
	assert.Nil(t, s.Fields["raw"], "[]byte is a string")
	assert.Same(t, s.Fields["self"], s.Fields["self"].Fields["next"], "a recursive type ends")
}

func TestCheck(t *testing.T) {
	schema := strictjson.SchemaOf(reflect.TypeFor[outer]())
	schema.Fields["items"].Elem.Fields["tags"].SameKey = strings.ToLower
	schema.Fields["items"].Elem.Fields["tags"].KeyMeans = "tag"
	for name, tc := range map[string]struct {
		doc  string
		want string // the whole message; "" means accepted
	}{
		"valid":                    {`{"id": "a", "items": [{"name": "x", "tags": {"a": "1", "b": "2"}, "Plain": 1}], "raw": "AA==", "wait": {"When": 1, "when": 2}}`, ""},
		"trailing brace":           {`{"id": "a"}}`, `line 1, column 12 (byte offset 11): data after the document`},
		"trailing bracket":         {"{\"id\": \"a\"}\n  ]", `line 2, column 3 (byte offset 14): data after the document`},
		"second document":          {`{"id": "a"} {}`, `line 1, column 13 (byte offset 12): data after the document`},
		"trailing space":           {"{\"id\": \"a\"}\n\t \r\n", ""},
		"scalar document":          {`12 x`, `line 1, column 4 (byte offset 3): data after the document`},
		"duplicate":                {"{\"id\": \"a\",\n \"id\": \"b\"}", `id at line 2, column 2 (byte offset 13): key "id" appears twice in one object (first at line 1, column 2)`},
		"escaped duplicate":        {`{"id": "a", "\u0069d": "b"}`, `id at line 1, column 13 (byte offset 12): key "id" appears twice in one object (first at line 1, column 2)`},
		"duplicate deep":           {`{"items": [{"name": "a"}, {"tags": {"x": "1", "x": "2"}}]}`, `items[1].tags.x at line 1, column 47 (byte offset 46): key "x" appears twice in one object (first at line 1, column 37)`},
		"same key":                 {`{"items": [{"tags": {"Ab": "1", "aB": "2"}}]}`, `items[0].tags.aB at line 1, column 33 (byte offset 32): key "aB" names the same tag as "Ab" (at line 1, column 22)`},
		"duplicate free":           {`{"wait": {"a": 1, "a": 2}}`, `wait.a at line 1, column 19 (byte offset 18): key "a" appears twice in one object (first at line 1, column 11)`},
		"other case":               {`{"ID": "a"}`, `ID at line 1, column 2 (byte offset 1): key "ID" must be written "id": keys are case-sensitive`},
		"folded letter":            {`{"ıtems": []}`, `["ıtems"] at line 1, column 2 (byte offset 1): unknown key "ıtems"`},
		"long s":                   {`{"items": [{"ſkip": 1}]}`, `items[0]["ſkip"] at line 1, column 13 (byte offset 12): unknown key "ſkip"`},
		"long s for s":             {`{"ſelf": {}}`, `["ſelf"] at line 1, column 2 (byte offset 1): key "ſelf" must be written "self": keys are case-sensitive`},
		"kelvin sign for k":        {`{"items": [{"\u212aind": 1}]}`, "items[0][\"\u212aind\"] at line 1, column 13 (byte offset 12): key \"\u212aind\" must be written \"kind\": keys are case-sensitive"},
		"unknown":                  {`{"items": [{"colour": "red"}]}`, `items[0].colour at line 1, column 13 (byte offset 12): unknown key "colour"`},
		"embedded other case":      {`{"Extra": ""}`, `Extra at line 1, column 2 (byte offset 1): key "Extra" must be written "extra": keys are case-sensitive`},
		"long key":                 {`{"` + strings.Repeat("k", 50) + `": 1}`, `["` + strings.Repeat("k", 40) + `…"] at line 1, column 2 (byte offset 1): unknown key "` + strings.Repeat("k", 40) + `…"`},
		"dotted key":               {`{"wait": {"a.b": 1, "a.b": 1}}`, `wait["a.b"] at line 1, column 21 (byte offset 20): key "a.b" appears twice in one object (first at line 1, column 11)`},
		"column counts characters": {`{"items": [{"name": "ñañaña", "name": ""}]}`, `items[0].name at line 1, column 31 (byte offset 33): key "name" appears twice in one object (first at line 1, column 13)`},
		"cut short":                {`{"items": [`, `items[0] at line 1, column 12 (byte offset 11): unexpected end of JSON input`},
		"empty":                    {``, `line 1, column 1 (byte offset 0): unexpected end of JSON input`},
		"syntax":                   {`{"items": [1 2]}`, `items[1] at line 1, column 14 (byte offset 13): invalid character '2' after array element`},
		"trailing comma":           {`{"id": "a",}`, `line 1, column 12 (byte offset 11): invalid character '}' looking for beginning of object key string`},
		"not UTF-8":                {"\xff", `line 1, column 2 (byte offset 1): invalid character 'ÿ' looking for beginning of value`},
	} {
		err := strictjson.Check([]byte(tc.doc), schema)
		if tc.want == "" {
			assert.NoError(t, err, name)
			continue
		}
		var e *strictjson.Error
		require.True(t, errors.As(err, &e), "%s: %v", name, err)
		assert.Equal(t, tc.want, e.Error(), name)
	}
}

// Check accepts what it does not know as any JSON, and refuses only what
// encoding/json would also refuse, besides duplicates.
func TestCheckWithoutSchema(t *testing.T) {
	for _, doc := range []string{`null`, `[]`, `{}`, `"x"`, `1e999`, `[{"a": {"a": [{"a": 1}]}}, {"a": 2}]`, `{"A": 1, "a": 2}`} {
		assert.NoError(t, strictjson.Check([]byte(doc), nil), doc)
		assert.True(t, json.Valid([]byte(doc)), doc)
	}
	err := strictjson.Check([]byte(`[{"a": 1}, {"b": 1, "a": 1, "b": 2}]`), nil)
	assert.EqualError(t, err, `[1].b at line 1, column 29 (byte offset 28): key "b" appears twice in one object (first at line 1, column 13)`)
}

func TestCheckBoundsNesting(t *testing.T) {
	deep := strings.Repeat("[", strictjson.MaxDepth) + strings.Repeat("]", strictjson.MaxDepth)
	assert.NoError(t, strictjson.Check([]byte(deep), nil))
	assert.True(t, json.Valid([]byte(deep)), "encoding/json takes as deep")
	assert.False(t, json.Valid([]byte("["+deep+"]")), "and no deeper")
	err := strictjson.Check([]byte("["+deep+"]"), nil)
	require.Error(t, err)
	assert.Equal(t, "[0][0][0][0]…"+strings.Repeat("[0]", 12)+" at line 1, column 10001 (byte offset 10000): arrays and objects nest deeper than 10000", err.Error())
	err = strictjson.Check([]byte(`{"a": `+strings.Repeat(`{"a": `, strictjson.MaxDepth)), nil)
	assert.EqualError(t, err, "a.a.a.a…."+strings.TrimSuffix(strings.Repeat("a.", 12), ".")+" at line 1, column 60001 (byte offset 60000): arrays and objects nest deeper than 10000")
}

// FuzzCheck: Check never panics, refuses what encoding/json refuses, and
// accepts every document encoding/json writes.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{`{"a": [1, {"b": null}]}`, `{"a": 1, "a": 2}`, `[]]`, `{"a":1}}`, "\"\xff\"", `{"\u0061": 1, "a": 2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := strictjson.Check(data, nil)
		if !json.Valid(data) {
			require.Error(t, err)
			return
		}
		if err != nil {
			var e *strictjson.Error
			require.ErrorAs(t, err, &e)
			require.Contains(t, e.Problem, "twice", "a valid document is refused only for a duplicate key")
			return
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber() // numbers beyond float64 stay as written
		require.NoError(t, dec.Decode(&v))
		out, err := json.Marshal(v)
		require.NoError(t, err)
		require.NoError(t, strictjson.Check(out, nil), "%s", out)
	})
}
