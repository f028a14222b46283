// waitOrphaned as the drill's change.diff has it (new side).
package shim

import (
	"context"

	"example.com/snippet/stubs/errdefs"
)

func (s *Service) waitOrphaned(ctx context.Context, id string) {
	go func() {
		<-ctx.Done()
		if _, err := s.tasks.Get(ctx, id); err != nil && errdefs.IsNotFound(err) {
			s.tasks.Delete(ctx, id)
		}
	}()
}
