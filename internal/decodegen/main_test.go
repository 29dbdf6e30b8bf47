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
