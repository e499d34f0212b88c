package strictjson_test

import (
	"fmt"
	"reflect"

	"github.com/surveyflow/surveyflow/internal/strictjson"
)

// A document is checked against the JSON shape of a Go type before it is
// decoded: a key the type does not have is an error that says where.
func Example() {
	type rule struct {
		Rule  string `json:"rule"`
		Chars int    `json:"chars"`
	}
	schema := strictjson.SchemaOf(reflect.TypeOf(rule{}))
	fmt.Println(strictjson.Check([]byte(`{"rule": "transcript_longer_than", "chars": 250}`), schema))
	fmt.Println(strictjson.Check([]byte(`{"rule": "transcript_longer_than", "char": 250}`), schema) != nil)
	// Output:
	// <nil>
	// true
}
