package razorpay

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// RegisteredEntity is an entry of the entity registry as the external tests
// (entity_fake_test.go) see it.
type RegisteredEntity struct {
	Name string
	// New returns a new, zero value of the entity's type (a pointer).
	New func() any
	// InEvents reports whether webhook events carry the entity in a typed
	// field of WebhookEvent, which Event returns (nil when absent).
	InEvents bool
	Event    func(*WebhookEvent) any
}

// RegisteredEntities returns the entity registry (entityTypes) to the
// external tests.
func RegisteredEntities() []RegisteredEntity {
	var out []RegisteredEntity
	for i := range entityTypes {
		et := &entityTypes[i]
		r := RegisteredEntity{Name: et.name, New: func() any { return et.new() }, InEvents: et.get != nil}
		if et.get != nil {
			r.Event = func(ev *WebhookEvent) any {
				if v := et.get(ev); v != nil {
					return v
				}
				return nil
			}
		}
		out = append(out, r)
	}
	return out
}

// entityStructs returns the struct types of the package's source files
// that have an Entity string field tagged json:"entity", but for generic
// ones (List[T], whose entity is "collection").
func entityStructs(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	var out []string
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		require.NoError(t, err)
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok || ts.TypeParams != nil {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				return true
			}
			for _, fld := range st.Fields.List {
				typ, isIdent := fld.Type.(*ast.Ident)
				if fld.Tag == nil || !isIdent || typ.Name != "string" || len(fld.Names) != 1 || fld.Names[0].Name != "Entity" {
					continue
				}
				tag, err := strconv.Unquote(fld.Tag.Value)
				require.NoError(t, err)
				if n, _, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ","); n == "entity" {
					out = append(out, ts.Name.Name)
				}
			}
			return true
		})
	}
	slices.Sort(out)
	return out
}

// Every entity type is registered, once: a struct type with an entity field
// that is missing from entityTypes fails here.
func TestEveryEntityRegistered(t *testing.T) {
	t.Parallel()
	var registered []string
	names := map[string]bool{}
	for _, et := range entityTypes {
		assert.False(t, names[et.name], "%s registered twice", et.name)
		names[et.name] = true
		registered = append(registered, strings.TrimPrefix(fmt.Sprintf("%T", et.new()), "*razorpay."))
	}
	slices.Sort(registered)
	assert.Equal(t, entityStructs(t), registered, "every struct type with an Entity field is registered in entityTypes (entity.go), once")
}

// Each registration reads its own entity: the constructor makes the type,
// entityOf finds it by type with its name and id, and the webhook accessors
// set and read the field of that name.
func TestEntityRegistry(t *testing.T) {
	t.Parallel()
	for i := range entityTypes {
		et := &entityTypes[i]
		t.Run(et.name, func(t *testing.T) {
			t.Parallel()
			v := et.new()
			require.NoError(t, decodeJSON([]byte(`{"entity":"`+et.name+`","id":"x_1"}`), v))
			want, got, id, ok := entityOf(v)
			require.True(t, ok)
			assert.Equal(t, [3]string{et.name, et.name, "x_1"}, [3]string{want, got, id})
			_, _, _, ok = entityOf(reflect.Zero(reflect.TypeOf(v)).Interface())
			assert.False(t, ok, "a nil pointer is no entity")
			found, ok := entityNamed(et.name)
			require.True(t, ok)
			assert.Same(t, et, found)
			if et.get == nil {
				return
			}
			var ev WebhookEvent
			assert.Nil(t, et.get(&ev))
			et.set(&ev, v)
			assert.Same(t, v, et.get(&ev))
			evField := reflect.ValueOf(ev)
			set := 0
			for i := range evField.NumField() {
				if f := evField.Field(i); f.Kind() == reflect.Pointer && !f.IsNil() {
					set++
					assert.Equal(t, reflect.ValueOf(v).Pointer(), f.Pointer())
				}
			}
			assert.Equal(t, 1, set, "the event's one field of that entity")
			et.set(&ev, nil)
			assert.Nil(t, et.get(&ev))
		})
	}
	_, _, _, ok := entityOf(new(RecurringPayment))
	assert.False(t, ok, "not an entity")
	_, ok = entityNamed("collection")
	assert.False(t, ok)
}
