package testkit

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestContextEndsAfterWithin(t *testing.T) {
	t.Parallel()
	ctx := Context(t, 10*time.Millisecond)
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the context did not end after 10 ms")
	}
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Errorf("ctx.Err() = %v, want DeadlineExceeded", ctx.Err())
	}
}

func TestContextEndsWithTheTest(t *testing.T) {
	t.Parallel()
	var ctx context.Context
	t.Run("inner", func(t *testing.T) {
		ctx = Context(t)
		if d, ok := ctx.Deadline(); !ok || time.Until(d) < 29*time.Second {
			t.Errorf("deadline %v, want 30 s from now", d)
		}
	})
	if !errors.Is(ctx.Err(), context.Canceled) {
		t.Errorf("after the test: ctx.Err() = %v, want Canceled", ctx.Err())
	}
}

func TestProcessCPUGrows(t *testing.T) {
	t.Parallel()
	start := ProcessCPU()
	for x := 0; ProcessCPU() == start; x++ {
		_ = x * x
	}
	if ProcessCPU() < start {
		t.Errorf("CPU time went back from %v to %v", start, ProcessCPU())
	}
}

func TestSettleGoroutines(t *testing.T) {
	t.Parallel()
	start := time.Now()
	if n := SettleGoroutines(1<<20, time.Minute); n > 1<<20 || time.Since(start) > 10*time.Second {
		t.Errorf("under the limit: %d goroutines after %v, want an answer at once", n, time.Since(start))
	}
	start = time.Now()
	if n := SettleGoroutines(0, 50*time.Millisecond); n == 0 || time.Since(start) < 50*time.Millisecond {
		t.Errorf("over the limit: %d goroutines after %v, want the count after 50 ms", n, time.Since(start))
	}
}
