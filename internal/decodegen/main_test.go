package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The generated file is what the generator writes from today's types: a
// type or tag changed without go generate fails here (and in CI, which
// regenerates and diffs).
func TestGeneratedFileIsCurrent(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	want, err := generate(root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(root, output))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s is stale: run go generate in the repository's root", output)
	}
}

// writePkg writes a package of one file to a new directory.
func writePkg(t *testing.T, src string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte("package razorpay\n\n"+src), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Each field type gets its reader, a named type with a basic underlying
// type through a conversion, and only marked types get tables.
func TestGenerateReaders(t *testing.T) {
	t.Parallel()
	dir := writePkg(t, `
type Status string

// Thing is marked.
//
//razorpay:decode
type Thing struct {
	ID     string            `+"`json:\"id\"`"+`
	Entity string            `+"`json:\"entity\"`"+`
	Last4  string            `+"`json:\"last4\"`"+`
	Status Status            `+"`json:\"status\"`"+`
	N      int               `+"`json:\"n,omitempty\"`"+`
	Big    int64             `+"`json:\"big\"`"+`
	OK     bool              `+"`json:\"ok\"`"+`
	Tags   []string          `+"`json:\"tags\"`"+`
	Part   *part             `+"`json:\"part\"`"+`
	Parts  []part            `+"`json:\"parts\"`"+`
	Meta   map[string]any    `+"`json:\"meta\"`"+`
	Skip   string            `+"`json:\"-\"`"+`
	hidden string
}

//razorpay:decode
type part struct {
	V string `+"`json:\"v\"`"+`
}

type Unmarked struct {
	V string `+"`json:\"v\"`"+`
}
`)
	src, err := generate(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`case "id":` + "\n\t\tl.String(&x.ID)",
		`case "last4":` + "\n\t\tl.ZeroPadded(&x.Last4, 4)",
		`case "status":` + "\n\t\tl.String((*string)(&x.Status))",
		`case "n":` + "\n\t\tl.Int(&x.N)",
		`case "big":` + "\n\t\tl.Int64(&x.Big)",
		`case "ok":` + "\n\t\tl.Bool(&x.OK)",
		`case "tags":` + "\n\t\tl.Strings(&x.Tags)",
		`case "part":` + "\n\t\tlexPtr(l, &x.Part, (*part).decodeField)",
		`case "parts":` + "\n\t\tlexSlice(l, &x.Parts, (*part).decodeField)",
		`case "meta":` + "\n\t\tl.Map(&x.Meta)",
		"func (x *Thing) UnmarshalJSON(data []byte) error",
		"func (x *Thing) decodeValue(l *lexer) { lexObject(l, x, (*Thing).decodeField) }",
		"func (x *Thing) entityID() (entity, id string) { return x.Entity, x.ID }",
		"func (x *part) decodeField(",
	} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("no %q in\n%s", want, src)
		}
	}
	for _, not := range []string{`"-"`, "Skip", "hidden", "func (x *part) UnmarshalJSON", "func (x *part) entityID", "Unmarked"} {
		if bytes.Contains(src, []byte(not)) {
			t.Errorf("%q in\n%s", not, src)
		}
	}
}

// What the generator cannot decode is an error that names the field and
// says what to do.
func TestGenerateErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ src, want string }{
		{"//razorpay:decode\ntype T struct{ P Unmarked `json:\"p\"` }\ntype Unmarked struct{ V string }", "T.P: type Unmarked has no decoder: mark it //razorpay:decode"},
		{"//razorpay:decode\ntype T struct{ F float64 `json:\"f\"` }", "T.F: no reader for type float64"},
		{"//razorpay:decode\ntype T struct{ M map[string]string `json:\"m\"` }", "T.M: no reader for type map[string]string"},
		{"//razorpay:decode\ntype T struct{ ID string `json:\"Id\"` }", `JSON name "Id" must be lower-case ASCII`},
		{"//razorpay:decode\ntype T struct{ ID string }", `JSON name "ID" must be lower-case ASCII`},
		{"//razorpay:decode\ntype T struct{ A string `json:\"a\"`; B string `json:\"a\"` }", `T.B: JSON name "a" used twice`},
		{"//razorpay:decode\ntype T struct{ Unmarked }\ntype Unmarked struct{ V string }", "T: embedded fields are not supported"},
		{"//razorpay:decode\ntype T string", "T is marked //razorpay:decode but is not a struct type"},
	} {
		_, err := generate(writePkg(t, tt.src))
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(tt.want)) {
			t.Errorf("%s:\ngot error %v\nwant one with %q", tt.src, err, tt.want)
		}
	}
}
