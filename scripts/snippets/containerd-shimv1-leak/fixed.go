// waitOrphaned with the key's cancelled-context snippet applied.
package shim

import (
	"context"
	"time"

	"example.com/snippet/stubs/errdefs"
)

type logEntry struct{}

func (logEntry) WithError(error) logEntry               { return logEntry{} }
func (logEntry) WithField(string, interface{}) logEntry { return logEntry{} }
func (logEntry) Warn(...interface{})                    {}

var log = struct {
	G func(context.Context) logEntry
}{G: func(context.Context) logEntry { return logEntry{} }}

func (s *Service) waitOrphaned(ctx context.Context, id string) {
	go func() {
		<-ctx.Done()
		cleanupCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if _, err := s.tasks.Get(cleanupCtx, id); errdefs.IsNotFound(err) {
			if err := s.tasks.Delete(cleanupCtx, id); err != nil && !errdefs.IsNotFound(err) {
				log.G(cleanupCtx).WithError(err).WithField("id", id).Warn("failed to delete orphaned task")
			}
		}
	}()
}
