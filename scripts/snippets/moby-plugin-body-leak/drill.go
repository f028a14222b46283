package plugins

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"time"
)

const maxErrorBody = 64 << 10 // the key's cap (unbounded-read)

// callWithRetry as the drill's diff has it (new side).
func (c *Client) callWithRetry(serviceMethod string, data []byte, retry bool) (io.ReadCloser, error) {
	var retries int
	start := time.Now()
	for {
		req, err := c.requestFactory.NewRequest(serviceMethod, bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		resp, err := c.http.Do(req)
		if err != nil {
			if !retry {
				return nil, err
			}
			timeOff := backoff(retries)
			if abort(start, timeOff) {
				return nil, err
			}
			retries++
			logrus.Warnf("plugin %s unreachable (%v), retrying in %v", req.URL.Host, err, timeOff)
			time.Sleep(timeOff)
			continue
		}
		if resp.StatusCode == http.StatusServiceUnavailable && retry {
			timeOff := backoff(retries)
			if !abort(start, timeOff) {
				retries++
				time.Sleep(timeOff)
				continue
			}
		}
		if resp.StatusCode != http.StatusOK {
			b, err := io.ReadAll(resp.Body)
			if err != nil {
				return nil, &statusError{resp.StatusCode, serviceMethod, err.Error()}
			}
			resp.Body.Close()
			var remoteErr struct{ Err string }
			if json.Unmarshal(b, &remoteErr) == nil && remoteErr.Err != "" {
				return nil, &statusError{resp.StatusCode, serviceMethod, remoteErr.Err}
			}
			return nil, &statusError{resp.StatusCode, serviceMethod, string(b)}
		}
		return resp.Body, nil
	}
}
