package server

// Every API request the tests of this package send, and every answer they
// get, is checked against api/openapi.json by kin-openapi's openapi3filter.
//
// The check sits in http.DefaultTransport, which TestMain replaces before
// any test runs: every http.Client without a Transport of its own (the
// harness clients, the browser, http.DefaultClient) goes through it, so a
// new test is checked without asking. A request with a deliberately bad
// body is still sent: the request is validated only to count it; the answer
// is always validated against the operation's declared statuses, headers,
// content types and schemas, and an answer the document does not describe
// fails the test that made the request (the harness registers its server's
// address with its test; an answer from a server no test registered fails the
// run in TestMain).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/tradeplan/tradeplan/api"
)

// inAPIDocument says whether path is one the document describes. Pages
// (HTML routes, static files) are not in it and are not validated.
func inAPIDocument(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/healthz"
}

type loadedSpec struct {
	doc    *openapi3.T
	router routers.Router
}

var apiSpec = sync.OnceValues(func() (loadedSpec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI)
	if err != nil {
		return loadedSpec{}, fmt.Errorf("api/openapi.json: load: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return loadedSpec{}, fmt.Errorf("api/openapi.json: validate: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return loadedSpec{}, fmt.Errorf("api/openapi.json: router: %w", err)
	}
	return loadedSpec{doc, router}, nil
})

// operationIDs lists the operationId of every operation of the document.
func (s loadedSpec) operationIDs() []string {
	var ids []string
	for _, item := range s.doc.Paths.Map() {
		for _, op := range item.Operations() {
			ids = append(ids, op.OperationID)
		}
	}
	sort.Strings(ids)
	return ids
}

var apiFilterOptions = &openapi3filter.Options{
	AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	IncludeResponseStatus: true,
	MultiError:            true,
}

// apiTally counts what the validator saw over the run.
var apiTally = struct {
	sync.Mutex
	answers       int
	badRequests   int            // requests the document does not describe (tests of 400s)
	unrouted      int            // 404/405 answers to paths not in the document
	byOperation   map[string]int // answers per operationId
	statuses      map[string]map[int]int
	orphanFailure []string // failures of answers to servers no test registered
}{byOperation: map[string]int{}, statuses: map[string]map[int]int{}}

// apiServers maps a test server's host:port to the test that owns it.
var apiServers sync.Map // string -> testing.TB

// registerAPIServer makes the validator fail t for an answer from base
// (a URL such as http://127.0.0.1:1234) that the document does not describe.
func registerAPIServer(t testing.TB, base string) {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	apiServers.Store(u.Host, t)
	t.Cleanup(func() { apiServers.Delete(u.Host) })
}

type validatingTransport struct{ base http.RoundTripper }

func (v validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !inAPIDocument(req.URL.Path) {
		return v.base.RoundTrip(req)
	}
	var reqBody []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := v.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	respBody, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		// The caller reads the short body, then the error; there is
		// no whole answer to validate.
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(respBody), errReader{err}))
		return resp, nil
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	x := checkAPIExchange(req, reqBody, resp, respBody)
	x.count(resp.StatusCode)
	if reason := x.reason; reason != "" {
		msg := fmt.Sprintf("OpenAPI: %s %s answered %d, which api/openapi.json does not describe: %.1500s\nbody: %.400s",
			req.Method, req.URL.RequestURI(), resp.StatusCode, reason, respBody)
		if t, ok := apiServers.Load(req.URL.Host); ok {
			t.(testing.TB).Error(msg)
		} else {
			apiTally.Lock()
			apiTally.orphanFailure = append(apiTally.orphanFailure, msg)
			apiTally.Unlock()
		}
	}
	return resp, nil
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// exchange is what the validator made of one request and its answer.
type exchange struct {
	operation   string // operationId; "" when the path is not in the document
	undescribed bool   // the request is not one the document describes
	reason      string // why the answer is not described; "" when it is
}

// checkAPIExchange validates one request and its answer.
func checkAPIExchange(req *http.Request, reqBody []byte, resp *http.Response, respBody []byte) exchange {
	spec, err := apiSpec()
	if err != nil {
		return exchange{reason: err.Error()}
	}
	vreq := req.Clone(context.Background())
	vreq.Body = io.NopCloser(bytes.NewReader(reqBody))
	route, params, err := spec.router.FindRoute(vreq)
	if err != nil {
		// Not in the document: only the server's own "no such route" is
		// a described answer, in the Error shape.
		if (errors.Is(err, routers.ErrPathNotFound) || errors.Is(err, routers.ErrMethodNotAllowed)) &&
			(resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusMethodNotAllowed) &&
			isErrorShape(respBody) {
			return exchange{}
		}
		return exchange{reason: "route: " + err.Error()}
	}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: apiFilterOptions}
	reqErr := openapi3filter.ValidateRequest(context.Background(), in)
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Options:                apiFilterOptions,
	}
	out.SetBodyBytes(respBody)
	x := exchange{operation: route.Operation.OperationID, undescribed: reqErr != nil}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		x.reason = err.Error()
	} else if reqErr != nil && resp.StatusCode < 400 {
		// The server took what the document says it refuses.
		x.reason = "the request is not described, yet the answer is a success: " + reqErr.Error()
	}
	return x
}

// count adds x to the figures of the run.
func (x exchange) count(status int) {
	apiTally.Lock()
	defer apiTally.Unlock()
	if x.operation == "" {
		if x.reason == "" {
			apiTally.unrouted++
		}
		return
	}
	apiTally.answers++
	apiTally.byOperation[x.operation]++
	if apiTally.statuses[x.operation] == nil {
		apiTally.statuses[x.operation] = map[int]int{}
	}
	apiTally.statuses[x.operation][status]++
	if x.undescribed {
		apiTally.badRequests++
	}
}

// isErrorShape says whether b is {"error": {"code", "message", ...}}.
func isErrorShape(b []byte) bool {
	var e errorBody
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(&e) == nil && e.Error.Code != "" && e.Error.Message != ""
}

// installAPIValidator puts the validator in http.DefaultTransport.
func installAPIValidator() {
	// A plan document is text the server parses itself (the document
	// gives its schema as a string): the validator must not read YAML
	// into an object first, as openapi3filter does by default.
	for _, ct := range []string{"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"} {
		openapi3filter.RegisterBodyDecoder(ct, textBodyDecoder)
	}
	http.DefaultTransport = validatingTransport{base: http.DefaultTransport}
}

func textBodyDecoder(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
	b, err := io.ReadAll(body)
	return string(b), err
}

// apiOperationsNotExercisedYet lists, with the reason, the operations no test
// of this package calls with a success answer yet. It is empty: every
// operation of the document is; an operation added without a test of its
// success fails a run of the whole package, unless it is listed here, with
// why, until its test lands.
var apiOperationsNotExercisedYet = map[string]string{}

// reportAPIValidation prints the figures of the run and returns a non-zero
// exit code when the run must fail: an answer from an unregistered server
// was not described, or, on a run of the whole package, an operation of the
// document was never called.
func reportAPIValidation(code int) int {
	apiTally.Lock()
	defer apiTally.Unlock()
	spec, err := apiSpec()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ops := spec.operationIDs()
	exercised, succeeded := 0, 0
	var missing []string
	for _, op := range ops {
		if apiTally.byOperation[op] > 0 {
			exercised++
		}
		ok := false
		for status := range apiTally.statuses[op] {
			ok = ok || status/100 == 2
		}
		if ok {
			succeeded++
			continue
		}
		if _, allowed := apiOperationsNotExercisedYet[op]; !allowed {
			missing = append(missing, op)
		}
	}
	fmt.Printf("openapi: validated %d answers (%d to requests the document does not describe, %d to paths outside it) over %d of %d operations, %d of them answered with a success\n",
		apiTally.answers, apiTally.badRequests, apiTally.unrouted, exercised, len(ops), succeeded)
	if os.Getenv("TRADEPLAN_OPENAPI_REPORT") != "" {
		for _, op := range slices.Sorted(maps.Keys(apiTally.statuses)) {
			st := apiTally.statuses[op]
			keys := slices.Sorted(maps.Keys(st))
			parts := make([]string, len(keys))
			for i, k := range keys {
				parts[i] = fmt.Sprintf("%d×%d", k, st[k])
			}
			fmt.Printf("openapi:   %-24s %s\n", op, strings.Join(parts, " "))
		}
	}
	for _, f := range apiTally.orphanFailure {
		fmt.Fprintln(os.Stderr, f)
		code = 1
	}
	if wholeRun() && len(missing) > 0 {
		sort.Strings(missing)
		fmt.Fprintf(os.Stderr, "openapi: operations no test called with a success answer: %s\n", strings.Join(missing, ", "))
		code = 1
	}
	return code
}

// wholeRun says whether every test of the package ran (no -run, -skip or
// -short), so that an operation nobody called is a gap of the suite.
func wholeRun() bool {
	if testing.Short() {
		return false
	}
	for _, name := range []string{"test.run", "test.skip"} {
		if f := flag.Lookup(name); f != nil && f.Value.String() != "" {
			return false
		}
	}
	return true
}

// TestAPIValidatorCatches: the validator refuses each kind of answer the
// document does not describe, and lets through a described error answer
// to a request the document does not describe (a test of a 400).
func TestAPIValidatorCatches(t *testing.T) {
	errBody := `{"error":{"code":"invalid","message":"bad"}}`
	jsonCT := http.Header{"Content-Type": {"application/json"}}
	for _, tc := range []struct {
		name, method, path, ct, reqBody string
		status                          int
		header                          http.Header
		body                            string
		wantReason                      string // "" for a described answer
		wantOp                          string
		undescribed                     bool
	}{
		{name: "described", method: "GET", path: "/healthz", status: 200, header: jsonCT, body: `{"status":"ok"}`, wantOp: "healthz"},
		{name: "status not declared", method: "GET", path: "/api/v1/me", status: 418, header: jsonCT, body: errBody, wantReason: "status", wantOp: "me"},
		{name: "body off its schema", method: "GET", path: "/api/v1/users", status: 200, header: jsonCT, body: `{"users":null}`, wantReason: "users", wantOp: "listUsers"},
		{name: "error off the Error shape", method: "GET", path: "/api/v1/me", status: 401, header: jsonCT, body: `{"message":"no"}`, wantReason: "error", wantOp: "me"},
		{name: "content type not listed", method: "GET", path: "/api/v1/me", status: 401, header: http.Header{"Content-Type": {"text/html"}}, body: "<p>no</p>", wantReason: "Content-Type", wantOp: "me"},
		{name: "route not in the document", method: "GET", path: "/api/v1/nowhere", status: 200, header: jsonCT, body: `{}`, wantReason: "route"},
		{name: "the server's 404 for a route not in the document", method: "GET", path: "/api/v1/nowhere", status: 404, header: jsonCT, body: `{"error":{"code":"not_found","message":"no route"}}`},
		{name: "bad request, described 400", method: "POST", path: "/api/v1/login", ct: "application/json", reqBody: `{"email":1}`, status: 400, header: jsonCT, body: errBody, wantOp: "login", undescribed: true},
		{name: "bad request taken", method: "GET", path: "/api/v1/users?org_id=abc", status: 200, header: jsonCT, body: `{"users":[]}`, wantReason: "not described", wantOp: "listUsers", undescribed: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, "http://127.0.0.1:1"+tc.path, strings.NewReader(tc.reqBody))
			if err != nil {
				t.Fatal(err)
			}
			if tc.ct != "" {
				req.Header.Set("Content-Type", tc.ct)
			}
			x := checkAPIExchange(req, []byte(tc.reqBody), &http.Response{StatusCode: tc.status, Header: tc.header}, []byte(tc.body))
			if tc.wantReason == "" && x.reason != "" {
				t.Errorf("refused a described answer: %s", x.reason)
			}
			if tc.wantReason != "" && !strings.Contains(x.reason, tc.wantReason) {
				t.Errorf("reason %q, want one about %q", x.reason, tc.wantReason)
			}
			if x.operation != tc.wantOp || x.undescribed != tc.undescribed {
				t.Errorf("operation %q undescribed %v, want %q %v", x.operation, x.undescribed, tc.wantOp, tc.undescribed)
			}
		})
	}
	for _, p := range []string{"/", "/plans/1", "/static/app.css", "/login"} {
		if inAPIDocument(p) {
			t.Errorf("page %s is taken for an API path", p)
		}
	}
}

// TestAPIValidatorNotBypassed: no test of this package gives its client a
// transport of its own, which would skip the validator in
// http.DefaultTransport.
func TestAPIValidatorNotBypassed(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, "Transport"+":") || strings.Contains(line, "http.Transport"+"{") {
				t.Errorf("%s:%d: a client with its own transport is not validated against api/openapi.json: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
}
