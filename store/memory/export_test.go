package memory

import (
	"bytes"
	"reflect"
)

// RawStorage returns every string the store holds, however it holds it —
// records, their extras, the interned names and agent lists, the indexes'
// keys, and every slice up to its capacity, so that a string left behind
// the length of a reused array counts too — joined with NUL bytes. It
// walks the store by reflection, so it reads what the store keeps, not
// what its methods return.
func RawStorage(st *Store) []byte {
	st.mu.RLock()
	defer st.mu.RUnlock()
	var out bytes.Buffer
	seen := map[uintptr]bool{}
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.String:
			out.WriteString(v.String())
			out.WriteByte(0)
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			walk(v.Elem())
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case reflect.Array:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Slice:
			if v.IsNil() {
				return
			}
			v = v.Slice3(0, v.Cap(), v.Cap()) // what lies behind the length too
			for i := range v.Len() {
				walk(v.Index(i))
			}
		case reflect.Map:
			for it := v.MapRange(); it.Next(); {
				walk(it.Key())
				walk(it.Value())
			}
		}
	}
	walk(reflect.ValueOf(st))
	return out.Bytes()
}
