package plugins

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

type factory struct{ url string }

func (f factory) NewRequest(serviceMethod string, data io.Reader) (*http.Request, error) {
	return http.NewRequest("POST", f.url+"/"+serviceMethod, data)
}

// The key's countingTransport, used the way its missing-tests suggestion says: a plugin that
// answers 503 twice then 200. On the drill's code the two 503 bodies are never closed.
func TestRetriedBodiesAreClosed(t *testing.T) {
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls++; calls <= 2 {
			http.Error(w, "starting", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	tr := &countingTransport{base: http.DefaultTransport}
	c := &Client{http: &http.Client{Transport: tr}, requestFactory: factory{srv.URL}}
	body, err := c.callWithRetry("Plugin.Activate", nil, true)
	if err != nil {
		t.Fatal(err)
	}
	body.Close()
	if open, closed := tr.open.Load(), tr.closed.Load(); open != closed {
		t.Fatalf("%d bodies opened, %d closed", open, closed)
	}
}
