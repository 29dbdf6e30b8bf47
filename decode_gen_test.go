package razorpay

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fillPlain sets every field of the plain value v (a plainType mirror) to a
// non-zero value, and fails on a struct type of an entity that has no
// lenient decoder.
func fillPlain(t *testing.T, v reflect.Value, orig reflect.Type, name string, depth int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("v-" + name)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(7 + len(name)))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Map:
		v.Set(reflect.ValueOf(Notes{"k": "v-" + name}).Convert(v.Type()))
	case reflect.Pointer:
		if depth > 3 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fillPlain(t, v.Elem(), orig.Elem(), name, depth+1)
	case reflect.Slice:
		if depth > 3 {
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		fillPlain(t, v.Index(0), orig.Elem(), name+"0", depth+1)
		fillPlain(t, v.Index(1), orig.Elem(), name+"1", depth+1)
	case reflect.Struct:
		assert.True(t, reflect.PointerTo(orig).Implements(reflect.TypeFor[decodable]()),
			"%v has no field table: mark it //razorpay:decode and run go generate", orig)
		for i := range v.NumField() {
			fillPlain(t, v.Field(i), orig.Field(i).Type, name+"."+orig.Field(i).Name, depth)
		}
	default:
		t.Errorf("%s: no filler for %v", name, v.Type())
	}
}

// Every field of every entity is decoded, both by the SDK and by
// json.Unmarshal: a field that the generated tables miss fails here.
func TestEntityFieldsAllDecoded(t *testing.T) {
	t.Parallel()
	for _, e := range lenientEntities() {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			et := reflect.TypeOf(e.newOut()).Elem()
			plain := reflect.New(plainType(et, false))
			fillPlain(t, plain.Elem(), et, "f", 0)
			data, err := json.Marshal(plain.Interface())
			require.NoError(t, err)

			got := e.newOut()
			require.NoError(t, decodeJSON(data, got))
			enc, err := json.Marshal(got)
			require.NoError(t, err)
			assert.JSONEq(t, string(data), string(enc), "every field decoded")

			viaUnmarshal := e.newOut()
			require.NoError(t, json.Unmarshal(data, viaUnmarshal))
			assert.Equal(t, got, viaUnmarshal)
		})
	}
}

// Every exported type with a generated field table is in lenientEntities,
// so that the tests of every field, of the fixtures and the fuzz targets
// cover it.
func TestEveryDecodedTypeListed(t *testing.T) {
	t.Parallel()
	listed := map[string]bool{}
	for _, e := range lenientEntities() {
		listed[fmt.Sprintf("%T", e.newOut())] = true
	}
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	marked := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.ParseComments|parser.SkipObjectResolution)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE || gd.Doc == nil || !strings.Contains(rawComments(gd.Doc), "//razorpay:decode") {
				continue
			}
			ts := gd.Specs[0].(*ast.TypeSpec)
			marked++
			if ts.Name.IsExported() {
				assert.True(t, listed["*razorpay."+ts.Name.Name], "%s has a field table but is not in lenientEntities (decode_test.go)", ts.Name.Name)
			}
		}
	}
	assert.Greater(t, marked, 10)
}

func rawComments(g *ast.CommentGroup) string {
	var b strings.Builder
	for _, c := range g.List {
		b.WriteString(c.Text + "\n")
	}
	return b.String()
}
