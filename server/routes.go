package server

import (
	"net/http"
)

// routeSets are route registrations from other files of this package (the
// licensing workflow), appended from their init functions so that they need
// not edit this file. Each is called once by New, after routes.
var routeSets []func(s *Server, mux *http.ServeMux)

// routes registers every route of the foundation. Every pattern here and in
// routeSets must appear in api/openapi.json (TestOpenAPIMatchesRoutes).
func (s *Server) routes(mux *http.ServeMux) {
	// Open: no login.
	mux.Handle("GET /healthz", s.handle(s.healthz))
	mux.Handle("GET /api/v1/openapi.json", s.handle(s.openapi))
	mux.Handle("POST /api/v1/screen", s.handle(s.screenPlan))
	mux.Handle("POST /api/v1/parties/screen", s.handle(s.screenParties))
	mux.Handle("POST /api/v1/login", s.handle(s.login))

	// Everything below needs a session or an API token.
	mux.Handle("POST /api/v1/logout", s.authed(s.logout))
	mux.Handle("GET /api/v1/me", s.authed(s.me))

	mux.Handle("GET /api/v1/orgs", s.authed(s.listOrgs))
	mux.Handle("POST /api/v1/orgs", s.authed(s.createOrg))
	mux.Handle("GET /api/v1/orgs/{id}", s.authed(s.getOrg))

	mux.Handle("GET /api/v1/users", s.authed(s.listUsers))
	mux.Handle("POST /api/v1/users", s.authed(s.createUser))

	mux.Handle("GET /api/v1/tokens", s.authed(s.listTokens))
	mux.Handle("POST /api/v1/tokens", s.authed(s.createToken))
	mux.Handle("DELETE /api/v1/tokens/{id}", s.authed(s.revokeToken))

	mux.Handle("GET /api/v1/audit", s.authed(s.auditLog))
	mux.Handle("GET /api/v1/audit/verify", s.authed(s.auditVerify))
}
