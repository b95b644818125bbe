package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
)

// TestWriteJSONAsMarshal: an answer written through the reused buffer is
// json.Marshal's bytes and a newline, HTML escaped as before, with its
// length; a second, shorter answer carries nothing of the first.
func TestWriteJSONAsMarshal(t *testing.T) {
	values := []any{
		map[string]any{"names": []string{"<script>&", strings.Repeat("long name ", 5000)}, "n": 1.5},
		partiesRequest{Names: []string{"Kim"}, Top: 3},
		errorBody{Error: errorDetail{Code: "invalid", Message: "a \u2028 b"}},
	}
	for i, v := range values {
		w := httptest.NewRecorder()
		writeJSON(w, http.StatusCreated, v)
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, '\n')
		if !bytes.Equal(w.Body.Bytes(), want) {
			t.Fatalf("value %d: wrote %.80q, want %.80q", i, w.Body.Bytes(), want)
		}
		if w.Code != http.StatusCreated || w.Header().Get("Content-Type") != "application/json" ||
			w.Header().Get("Content-Length") != strconv.Itoa(len(want)) {
			t.Fatalf("value %d: status %d, headers %v", i, w.Code, w.Header())
		}
	}
	// not marshalable: the internal error shape, nothing of the value
	w := httptest.NewRecorder()
	writeJSON(w, http.StatusOK, map[string]any{"f": func() {}})
	if w.Code != http.StatusInternalServerError || w.Body.String() != `{"error":{"code":"internal","message":"internal error"}}`+"\n" {
		t.Fatalf("unmarshalable: %d %q", w.Code, w.Body.String())
	}
}

// TestDecodeJSONReusedBuffer: bodies read one after another into reused
// buffers decode each as itself (no bytes of a longer body before it), the
// limit still answers 413, and unknown fields and trailing data are still
// refused.
func TestDecodeJSONReusedBuffer(t *testing.T) {
	s := New(Config{MaxBodyBytes: 4096})
	post := func(body string) (*partiesRequest, error) {
		r := httptest.NewRequest(http.MethodPost, "/x", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Body = http.MaxBytesReader(httptest.NewRecorder(), r.Body, s.maxBody)
		var req partiesRequest
		return &req, decodeJSON(r, &req)
	}
	long := `{"names": ["` + strings.Repeat("a", 2000) + `", "b"], "country": "KP"}`
	for range 3 {
		if req, err := post(long); err != nil || len(req.Names) != 2 || req.Country != "KP" {
			t.Fatalf("long body: %v %+v", err, req)
		}
		if req, err := post(`{"names":["c"]}`); err != nil || len(req.Names) != 1 || req.Names[0] != "c" || req.Country != "" {
			t.Fatalf("short body after a long one: %v %+v", err, req)
		}
	}
	_, err := post(`{"names": ["` + strings.Repeat("a", 5000) + `"]}`)
	var mbe *http.MaxBytesError
	if !errors.As(err, &mbe) {
		t.Fatalf("over the limit: %v, want a MaxBytesError (413)", err)
	}
	for _, bad := range []string{`{"names":["x"],"nope":1}`, `{"names":["x"]} {}`, ``} {
		if _, err := post(bad); tradeplan.ErrorCode(err) != tradeplan.EInvalid {
			t.Errorf("%q: %v, want invalid", bad, err)
		}
	}
}
