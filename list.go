package razorpay

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// MaxListCount is the largest page Razorpay serves (the count parameter).
const MaxListCount = 100

// DefaultMaxListPages is how many pages an All walk fetches at most when
// ListParams.MaxPages is zero: 10,000 pages, 1,000,000 items at the default
// page size of 100.
const DefaultMaxListPages = 10_000

// ErrListPaging matches the error an All walk ends with when it stops by
// itself: a page repeats the previous page's first item (the server ignores
// skip, and the walk would never end), or the walk reached
// ListParams.MaxPages pages.
var ErrListPaging = errors.New("razorpay: list paging stopped")

// List is one page of a collection: {"entity": "collection", "count": n,
// "items": [...]}. Count is the number of items on this page, not a total:
// Razorpay reports no total.
type List[T any] struct {
	Entity string `json:"entity"`
	Count  int    `json:"count"`
	Items  []T    `json:"items"`
}

func (x *List[T]) decodeField(l *lexer, key []byte) bool {
	switch string(key) {
	case "entity":
		l.String(&x.Entity)
	case "count":
		l.Int(&x.Count)
	case "items":
		listItems(l, &x.Items)
	default:
		return false
	}
	return true
}

func (x *List[T]) decodeValue(l *lexer) { lexObject(l, x, (*List[T]).decodeField) }

// UnmarshalJSON decodes a page leniently, as the SDK decodes responses: the
// items of the SDK's entities with their own lenient rules, count as a
// number or a numeric string, {} for no items.
func (x *List[T]) UnmarshalJSON(data []byte) error {
	return lexUnmarshal(data, x, (*List[T]).decodeField)
}

// listItems reads the items of a List[T]: an array of objects (an element []
// or null is a zero item), or {} or null for no items. A T that is not one
// of the SDK's types decodes with encoding/json.
func listItems[T any](l *lexer, dst *[]T) {
	if _, ok := any((*T)(nil)).(decodable); !ok {
		lexList(l, dst, lexPlain[T])
		return
	}
	lexList(l, dst, func(l *lexer, v *T) { any(v).(decodable).decodeValue(l) })
}

// ListParams selects a page of a collection. Zero fields are not sent.
type ListParams struct {
	// Count is the page size, 1 to 100; Razorpay's default is 10.
	Count int `url:"count,omitempty"`
	// Skip is how many items to skip from the start.
	Skip int `url:"skip,omitempty"`
	// From keeps items created at or after this Unix time (seconds).
	From int64 `url:"from,omitempty"`
	// To keeps items created at or before this Unix time (seconds).
	To int64 `url:"to,omitempty"`
	// MaxPages bounds the walks of the All methods: after this many pages
	// they stop with an error matching ErrListPaging. Zero means
	// DefaultMaxListPages; raise it to walk more. It is never sent, and
	// List ignores it.
	MaxPages int `url:"-"`
}

// Validate checks the bounds of the page: Count 0 to 100, Skip, From, To and
// MaxPages not negative, From not after To.
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
	v.check(p.MaxPages >= 0, "max_pages", "must not be negative")
	return v.err
}

// listPage fetches one page of a collection with a GET, its query encoded
// from params, a pointer to a params struct with url tags (or nil).
func listPage[T any](ctx context.Context, c *Client, path string, params any) (*List[T], error) {
	return call[List[T]](ctx, c, operation{method: "GET", path: path, params: params, repeatable: true})
}

// all walks a collection page by page with skip, as Razorpay offers no cursor
// and no total: it asks for pages of the caller's Count (100 when unset),
// yields every item, and stops after a short page. An error is yielded once,
// with the zero T, and ends the walk. The walk also ends with an error
// matching ErrListPaging when a page starts with the same item as the page
// before it (a server that ignores skip would otherwise be walked forever),
// and after MaxPages pages (DefaultMaxListPages when zero). fetch gets the
// page's ListParams, a copy that all owns.
func all[T any](params *ListParams, fetch func(p *ListParams) (*List[T], error)) iter.Seq2[T, error] {
	var p ListParams
	if params != nil {
		p = *params
	}
	if p.Count == 0 {
		p.Count = MaxListCount
	}
	maxPages := p.MaxPages
	if maxPages <= 0 {
		maxPages = DefaultMaxListPages
	}
	return func(yield func(T, error) bool) {
		page := p // each range over the sequence starts again from the first page
		prevFirst := ""
		for pages := 0; ; pages++ {
			var err error
			var list *List[T]
			if pages == maxPages {
				err = fmt.Errorf("%w: stopped after %d pages (%d items); set ListParams.MaxPages to walk further", ErrListPaging, pages, page.Skip-p.Skip)
			} else {
				list, err = fetch(&page)
			}
			if err == nil && len(list.Items) > 0 {
				first := itemID(&list.Items[0])
				if first != "" && first == prevFirst {
					err = fmt.Errorf("%w: the page at skip %d starts with %s, like the page before it: the server ignores skip", ErrListPaging, page.Skip, first)
				}
				prevFirst = first
			}
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

// itemID returns the id of an entity the SDK models, or "".
func itemID(v any) string {
	_, _, id, _ := entityOf(v)
	return id
}

// checkItems returns the entity the page names and, when an item is not an
// entity of the page's kind, what is wrong with it.
func (l *List[T]) checkItems() (entity, problem string) {
	for i := range l.Items {
		want, got, id, ok := entityOf(any(&l.Items[i]))
		if !ok {
			break
		}
		if p := entityProblem(want, got, id); p != "" {
			return l.Entity, fmt.Sprintf("item %d: %s", i, p)
		}
	}
	return l.Entity, ""
}
