package search

import (
	"container/heap"
	"slices"
)

// best keeps the n best of the values offered to it: the catalogue's date
// order keeps ranks (columnCollector), a one-word search its scored hits
// (searchWord). The worst kept is on top of a heap, so an offer that does
// not beat it costs one comparison.
type best[T any] struct {
	n     int
	kept  []T
	worse func(a, b T) bool // a ranks below b
}

func newBest[T any](n int, worse func(a, b T) bool) *best[T] {
	return &best[T]{n: n, kept: make([]T, 0, n), worse: worse}
}

// offer keeps v if it is among the n best offered; of equals, the first.
func (b *best[T]) offer(v T) {
	switch {
	case b.n == 0:
	case len(b.kept) < b.n:
		heap.Push((*bestHeap[T])(b), v)
	case b.worse(b.kept[0], v):
		b.kept[0] = v
		heap.Fix((*bestHeap[T])(b), 0)
	}
}

// sorted returns the values kept, best first.
func (b *best[T]) sorted() []T {
	out := slices.Clone(b.kept)
	slices.SortFunc(out, func(x, y T) int {
		switch {
		case b.worse(y, x):
			return -1
		case b.worse(x, y):
			return 1
		}
		return 0
	})
	return out
}

// bestHeap is best seen by container/heap: the worst on top.
type bestHeap[T any] best[T]

func (h *bestHeap[T]) Len() int           { return len(h.kept) }
func (h *bestHeap[T]) Less(i, j int) bool { return h.worse(h.kept[i], h.kept[j]) }
func (h *bestHeap[T]) Swap(i, j int)      { h.kept[i], h.kept[j] = h.kept[j], h.kept[i] }
func (h *bestHeap[T]) Push(x any)         { h.kept = append(h.kept, x.(T)) }
func (h *bestHeap[T]) Pop() any {
	x := h.kept[len(h.kept)-1]
	h.kept = h.kept[:len(h.kept)-1]
	return x
}
