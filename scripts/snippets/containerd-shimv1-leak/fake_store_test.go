package shim

import (
	"context"
	"sync"
	"testing"

	"example.com/snippet/stubs/errdefs"
)

// fakeTaskStore behaves like a real store: every call fails once its context is done.
type fakeTaskStore struct {
	mu   sync.Mutex
	gone map[string]bool
}

func newFakeTaskStore(t *testing.T) *fakeTaskStore { return &fakeTaskStore{gone: map[string]bool{}} }

func (f *fakeTaskStore) Get(ctx context.Context, id string) (struct{}, error) {
	if err := ctx.Err(); err != nil {
		return struct{}{}, err
	}
	return struct{}{}, errdefs.ErrNotFound
}

func (f *fakeTaskStore) Delete(ctx context.Context, id string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gone[id] = true
	return nil
}

func (f *fakeTaskStore) deleted(id string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gone[id]
}
