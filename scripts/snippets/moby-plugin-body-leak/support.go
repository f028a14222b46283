// Stand-ins for the parts of pkg/plugins the drill's diff does not show, so that the key's
// snippets compile in context. Written for this harness; not moby's code.
package plugins

import (
	"fmt"
	"io"
	"net/http"
	"time"
)

type requestFactory interface {
	NewRequest(serviceMethod string, data io.Reader) (*http.Request, error)
}

type Client struct {
	http           *http.Client
	requestFactory requestFactory
}

type statusError struct {
	status int
	method string
	err    string
}

func (e *statusError) Error() string { return fmt.Sprintf("%s: %d: %s", e.method, e.status, e.err) }

const retryBudget = 30 * time.Second

func backoff(retries int) time.Duration { return time.Duration(1<<retries) * time.Millisecond }

func abort(start time.Time, timeOff time.Duration) bool {
	return timeOff+time.Since(start) >= retryBudget
}

type logger struct{}

func (logger) Warnf(format string, args ...interface{}) {}

var logrus logger
