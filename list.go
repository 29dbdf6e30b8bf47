package razorpay

import (
	"context"
	"iter"
	"net/url"
	"strconv"
)

// MaxListCount is the largest page Razorpay serves (the count parameter).
const MaxListCount = 100

// List is one page of a collection: {"entity": "collection", "count": n,
// "items": [...]}. Count is the number of items on this page, not a total:
// Razorpay reports no total.
type List[T any] struct {
	Entity string `json:"entity"`
	Count  int    `json:"count"`
	Items  []T    `json:"items"`
}

// ListParams selects a page of a collection. Zero fields are not sent.
type ListParams struct {
	// Count is the page size, 1 to 100; Razorpay's default is 10.
	Count int `json:"count,omitempty"`
	// Skip is how many items to skip from the start.
	Skip int `json:"skip,omitempty"`
	// From keeps items created at or after this Unix time (seconds).
	From int64 `json:"from,omitempty"`
	// To keeps items created at or before this Unix time (seconds).
	To int64 `json:"to,omitempty"`
}

// Validate checks the bounds of the page: Count 0 to 100, Skip, From and To
// not negative, From not after To.
func (p *ListParams) Validate() error {
	if p == nil {
		return nil
	}
	var v validator
	v.check(p.Count >= 0 && p.Count <= MaxListCount, "count", "must be between 1 and 100 (0 for Razorpay's default of 10)")
	v.check(p.Skip >= 0, "skip", "must not be negative")
	v.check(p.From >= 0, "from", "must not be negative")
	v.check(p.To >= 0, "to", "must not be negative")
	v.check(p.From == 0 || p.To == 0 || p.From <= p.To, "from", "must not be after to")
	return v.err
}

// values adds the non-zero fields of p to q.
func (p *ListParams) values(q url.Values) {
	if p == nil {
		return
	}
	if p.Count != 0 {
		q.Set("count", strconv.Itoa(p.Count))
	}
	if p.Skip != 0 {
		q.Set("skip", strconv.Itoa(p.Skip))
	}
	if p.From != 0 {
		q.Set("from", strconv.FormatInt(p.From, 10))
	}
	if p.To != 0 {
		q.Set("to", strconv.FormatInt(p.To, 10))
	}
}

// listPage fetches one page of a collection with a GET.
func listPage[T any](ctx context.Context, c *Client, path string, q url.Values) (*List[T], error) {
	return call[List[T]](ctx, c, operation{method: "GET", path: path, query: q.Encode(), repeatable: true})
}

// all walks a collection page by page with skip, as Razorpay offers no cursor
// and no total: it asks for pages of the caller's Count (100 when unset),
// yields every item, and stops after a short page. An error is yielded once,
// with the zero T, and ends the walk. fetch gets the page's ListParams, a copy
// that all owns.
func all[T any](params *ListParams, fetch func(p *ListParams) (*List[T], error)) iter.Seq2[T, error] {
	var p ListParams
	if params != nil {
		p = *params
	}
	if p.Count == 0 {
		p.Count = MaxListCount
	}
	return func(yield func(T, error) bool) {
		page := p // each range over the sequence starts again from the first page
		for {
			list, err := fetch(&page)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range list.Items {
				if !yield(item, nil) {
					return
				}
			}
			if len(list.Items) < page.Count {
				return
			}
			page.Skip += len(list.Items)
		}
	}
}
