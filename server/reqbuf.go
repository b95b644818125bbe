package server

import (
	"bytes"
	"encoding/json"
	"sync"
)

// jsonBuf is a reused buffer for a JSON body read or written, with an
// encoder writing into it: one request no longer allocates (and grows) a
// fresh buffer for its body and another for its answer.
type jsonBuf struct {
	b   bytes.Buffer
	enc *json.Encoder
}

var jsonBufs = sync.Pool{New: func() any {
	j := &jsonBuf{}
	j.enc = json.NewEncoder(&j.b)
	return j
}}

// maxPooledBuf is the largest buffer kept for reuse: a rare large body or
// answer is not held on to.
const maxPooledBuf = 256 << 10

func getJSONBuf() *jsonBuf {
	j := jsonBufs.Get().(*jsonBuf)
	j.b.Reset()
	return j
}

func putJSONBuf(j *jsonBuf) {
	if j.b.Cap() <= maxPooledBuf {
		jsonBufs.Put(j)
	}
}

// Security headers every answer carries, made once: ServeHTTP puts these
// slices in the header map instead of a new one per header per request.
// Nothing changes a header value in place (Set and Add replace or append).
var (
	hdrCSP             = []string{"default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"}
	hdrNoSniff         = []string{"nosniff"}
	hdrNoReferrer      = []string{"no-referrer"}
	hdrDeny            = []string{"DENY"}
	hdrSameOrigin      = []string{"same-origin"}
	hdrHSTS            = []string{"max-age=63072000; includeSubDomains"}
	hdrNoStore         = []string{"no-store"}
	hdrApplicationJSON = []string{"application/json"}
)
