package plugins

// The risks of retry-body-leak and read-error-leak, checked against net/http itself: how many
// connections an unclosed response body keeps from the pool in each case.

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"
)

// heldConns waits until the number of live transport connections (readLoop goroutines), after
// idle ones are closed, equals want or two seconds pass, and returns the last count.
func heldConns(c *http.Client, want int) int {
	n := -1
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		c.CloseIdleConnections()
		buf := make([]byte, 1<<20)
		n = strings.Count(string(buf[:runtime.Stack(buf, true)]), "net/http.(*persistConn).readLoop")
		if n == want {
			break
		}
	}
	return n
}

func get(t *testing.T, c *http.Client, url string) *http.Response {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// read-error-leak: a body read that fails with a non-EOF error makes the transport drop the
// connection itself, so the missing Close holds nothing with the default transport.
func TestClaimReadErrorReleasesConn(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, rw, _ := w.(http.Hijacker).Hijack()
		rw.WriteString("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 100\r\n\r\npartial")
		rw.Flush()
		conn.Close()
	}))
	defer srv.Close()
	c := &http.Client{Transport: &http.Transport{}}
	if _, err := io.ReadAll(get(t, c, srv.URL).Body); err == nil {
		t.Fatal("want a read error")
	}
	if n := heldConns(c, 0); n != 0 {
		t.Fatalf("%d connections held after a failed read", n)
	}
}

// read-error-leak: a transparently gunzipped body whose decoding fails while the connection is
// fine holds the connection until Close.
func TestClaimGzipErrorHoldsConnUntilClose(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write([]byte(strings.Repeat("not gzip ", 1<<16)))
	}))
	defer srv.Close()
	c := &http.Client{Transport: &http.Transport{}}
	resp := get(t, c, srv.URL)
	if _, err := io.ReadAll(resp.Body); err == nil {
		t.Fatal("want a gzip error")
	}
	if n := heldConns(c, 1); n != 1 {
		t.Fatalf("%d connections held after a gzip error, want 1", n)
	}
	resp.Body.Close()
	if n := heldConns(c, 0); n != 0 {
		t.Fatalf("%d connections held after Close", n)
	}
}

// retry-body-leak: every unread, unclosed 503 body keeps its connection.
func TestClaimUnclosedRetryBodiesHoldConns(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "starting", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	c := &http.Client{Transport: &http.Transport{}}
	for i := 0; i < 3; i++ {
		get(t, c, srv.URL)
	}
	if n := heldConns(c, 3); n != 3 {
		t.Fatalf("%d connections held after 3 unclosed 503 bodies, want 3", n)
	}
}
