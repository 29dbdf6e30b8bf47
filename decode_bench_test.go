package razorpay

// Benchmarks of the lenient decoder. For each body, side by side:
//
//	plain           json.Unmarshal of the well-formed body into a method-free
//	                mirror of the entity (plainType, notes as map[string]string):
//	                plain encoding/json, the reference
//	lenient         the SDK's decode of the well-formed body
//	lenient-quirky  the SDK's decode of the quirky body
//	unmarshal       json.Unmarshal of the well-formed body into the entity
//	                (its UnmarshalJSON)
//
// Every side but plain also reports x-plain-ns and x-plain-allocs: its time
// and allocations divided by plain's, measured in the same sub-benchmark
// (plain runs the same number of iterations right after the timed loop).
// Goals: lenient ≤ 1.05, lenient-quirky ≤ 1.3 (time) and ≤ 1.2 (allocs),
// unmarshal ≤ 1.15.
//
// The quirky body is a fixture as Razorpay sends it ("contact": 9876543210,
// "last4": 1111, "expiry_month": "01", notes: [], booleans as 0/1 or null);
// the well-formed body is the same body with every value in its documented
// type, recorded under testdata/wellformed, keys and values otherwise
// unchanged. Both are compact, with sorted keys.
//
//	go test -run '^$' -bench Decode -benchmem -count 5 .

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// decodePair returns the fixture's quirky and well-formed forms for the
// type t, compact with sorted keys: the fixture, and its recorded
// well-formed form (testdata/wellformed).
func decodePair(tb testing.TB, fixture string, t reflect.Type) (quirky, wellFormedBody []byte) {
	tb.Helper()
	compact := func(data []byte) []byte {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			tb.Fatalf("%s: %v", fixture, err)
		}
		out, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		return out
	}
	return compact(mockFixture(tb, fixture)), compact(wellFormed(tb, fixture, t))
}

// benchSide runs one side of a decode benchmark; with plain set it reports
// the side's time and allocations over plain's.
func benchSide(b *testing.B, size int, run, plain func() error) {
	if err := run(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := run(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if plain == nil {
		return
	}
	own := b.Elapsed()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if err := plain(); err != nil {
			b.Fatal(err)
		}
	}
	ref := time.Since(start)
	b.ReportMetric(float64(own)/float64(ref), "x-plain-ns")
	ignore := func(f func() error) func() { return func() { _ = f() } }
	b.ReportMetric(testing.AllocsPerRun(50, ignore(run))/testing.AllocsPerRun(50, ignore(plain)), "x-plain-allocs")
}

// benchDecodeBody is BenchmarkDecode for one entity type.
func benchDecodeBody[T any](b *testing.B, fixture string) {
	t := reflect.TypeFor[T]()
	quirky, wellFormed := decodePair(b, fixture, t)
	pt := plainType(t, true)
	var fromQuirky, fromWellFormed, viaUnmarshal T
	if err := decodeJSON(quirky, &fromQuirky); err != nil {
		b.Fatal(err)
	}
	if err := decodeJSON(wellFormed, &fromWellFormed); err != nil {
		b.Fatal(err)
	}
	if err := json.Unmarshal(wellFormed, &viaUnmarshal); err != nil {
		b.Fatal(err)
	}
	plainOut := reflect.New(pt).Interface()
	if err := json.Unmarshal(wellFormed, plainOut); err != nil {
		b.Fatal(err)
	}
	want := mockJSONOf(b, plainOut)
	for name, v := range map[string]any{"lenient-quirky": fromQuirky, "lenient": fromWellFormed, "unmarshal": viaUnmarshal} {
		if got := mockJSONOf(b, v); got != want {
			b.Fatalf("%s differs from plain:\n%s\n%s", name, got, want)
		}
	}

	plain := func() error { return json.Unmarshal(wellFormed, reflect.New(pt).Interface()) }
	b.Run("plain", func(b *testing.B) { benchSide(b, len(wellFormed), plain, nil) })
	b.Run("lenient", func(b *testing.B) {
		benchSide(b, len(wellFormed), func() error { var v T; return decodeJSON(wellFormed, &v) }, plain)
	})
	b.Run("lenient-quirky", func(b *testing.B) {
		benchSide(b, len(quirky), func() error { var v T; return decodeJSON(quirky, &v) }, plain)
	})
	b.Run("unmarshal", func(b *testing.B) {
		benchSide(b, len(wellFormed), func() error { var v T; return json.Unmarshal(wellFormed, &v) }, plain)
	})
}

func BenchmarkDecode(b *testing.B) {
	b.Run("payment", func(b *testing.B) { benchDecodeBody[Payment](b, "bench/payment_quirky.json") })
	b.Run("tokens", func(b *testing.B) { benchDecodeBody[List[Token]](b, "bench/tokens_quirky.json") })
	b.Run("customer", func(b *testing.B) { benchDecodeBody[Customer](b, "customer/fetch_quirky.json") })
	b.Run("invoice", func(b *testing.B) { benchDecodeBody[Invoice](b, "invoice/fetch_paid.json") })
	b.Run("order", func(b *testing.B) { benchDecodeBody[Order](b, "order/authorization.json") })
}

// webhookBodyType returns the shape of a webhook body for plain
// encoding/json: the envelope, and a payload with one {"entity": ...} field
// per registered entity that webhook events carry, under the entity's name
// in upper case.
func webhookBodyType() reflect.Type {
	var payload []reflect.StructField
	for _, et := range entityTypes {
		if et.get == nil {
			continue
		}
		wrapper := reflect.StructOf([]reflect.StructField{{Name: "Entity", Type: reflect.TypeOf(et.new()), Tag: `json:"entity"`}})
		payload = append(payload, reflect.StructField{Name: strings.ToUpper(et.name), Type: reflect.PointerTo(wrapper), Tag: reflect.StructTag(`json:"` + et.name + `"`)})
	}
	return reflect.StructOf([]reflect.StructField{
		{Name: "Entity", Type: reflect.TypeFor[string](), Tag: `json:"entity"`},
		{Name: "AccountID", Type: reflect.TypeFor[string](), Tag: `json:"account_id"`},
		{Name: "Event", Type: reflect.TypeFor[string](), Tag: `json:"event"`},
		{Name: "Contains", Type: reflect.TypeFor[[]string](), Tag: `json:"contains"`},
		{Name: "CreatedAt", Type: reflect.TypeFor[int64](), Tag: `json:"created_at"`},
		{Name: "Payload", Type: reflect.StructOf(payload), Tag: `json:"payload"`},
	})
}

// webhookSamples lists Razorpay's documented samples in testdata/webhooks.
func webhookSamples(tb testing.TB) []string {
	tb.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", "webhooks", "*.json"))
	if err != nil || len(names) == 0 {
		tb.Fatalf("no webhook samples: %v", err)
	}
	var out []string
	for _, n := range names {
		if base := filepath.Base(n); base != "foo.bar.json" { // an unknown event, not a sample
			out = append(out, strings.TrimSuffix(base, ".json"))
		}
	}
	return out
}

func BenchmarkDecodeWebhook(b *testing.B) {
	const secret = "whsec_bench_0123456789"
	et := webhookBodyType()
	pt := plainType(et, true)
	for _, name := range webhookSamples(b) {
		b.Run(name, func(b *testing.B) {
			quirky, wellFormed := decodePair(b, "webhooks/"+name+".json", et)
			sigQ, sigW := mockSign(secret, quirky), mockSign(secret, wellFormed)
			evQ, err := ParseWebhook(quirky, sigQ, secret)
			if err != nil {
				b.Fatal(err)
			}
			evW, err := ParseWebhook(wellFormed, sigW, secret)
			if err != nil {
				b.Fatal(err)
			}
			evQ.Payload, evW.Payload = nil, nil
			if q, w := mockJSONOf(b, evQ), mockJSONOf(b, evW); q != w {
				b.Fatalf("quirky and well-formed events differ:\n%s\n%s", q, w)
			}
			plain := func() error {
				if err := VerifyWebhookSignature(wellFormed, sigW, secret); err != nil {
					return err
				}
				return json.Unmarshal(wellFormed, reflect.New(pt).Interface())
			}
			b.Run("plain", func(b *testing.B) { benchSide(b, len(wellFormed), plain, nil) })
			b.Run("lenient", func(b *testing.B) {
				benchSide(b, len(wellFormed), func() error { _, err := ParseWebhook(wellFormed, sigW, secret); return err }, plain)
			})
			b.Run("lenient-quirky", func(b *testing.B) {
				benchSide(b, len(quirky), func() error { _, err := ParseWebhook(quirky, sigQ, secret); return err }, plain)
			})
		})
	}
}
