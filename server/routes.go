package server

import (
	"net/http"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/plan"
)

// routes registers every route the server serves, API and pages, in this one
// function: a new route goes here and nowhere else (TestRoutesInOneFunction).
// Every pattern of the JSON API must appear in api/openapi.json
// (TestOpenAPIMatchesRoutes).
func (s *Server) routes(mux *http.ServeMux) {
	// Open: no login.
	mux.Handle("GET /healthz", s.handle(s.healthz))
	mux.Handle("GET /api/v1/openapi.json", s.handle(s.openapi))
	mux.Handle("POST /api/v1/screen", s.handle(s.screenPlan))
	mux.Handle("POST /api/v1/parties/screen", s.handle(s.screenParties))
	mux.Handle("POST /api/v1/parties/compare", s.handle(s.compareParties))
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

	// The licensing workflow (licensing.go): calls, plans and their review,
	// permits, crossings, delegations.
	l := newLicensingAPI(s)
	mux.Handle("GET /api/v1/calls", l.h(l.listCalls))
	mux.Handle("POST /api/v1/calls", l.h(l.openCall))
	mux.Handle("GET /api/v1/calls/{id}", l.h(byID("call", l.svc.Call)))
	mux.Handle("POST /api/v1/calls/{id}/close", l.h(l.closeCall))
	mux.Handle("POST /api/v1/calls/{id}/plans", l.h(l.createPlan))

	mux.Handle("GET /api/v1/plans", l.h(l.listPlans))
	mux.Handle("GET /api/v1/plans/{id}", l.h(l.getPlan))
	mux.Handle("PUT /api/v1/plans/{id}", l.h(l.editPlan))
	mux.Handle("POST /api/v1/plans/{id}/lines", l.h(l.addLine))
	mux.Handle("DELETE /api/v1/plans/{id}/lines/{line}", l.h(l.removeLine))
	mux.Handle("POST /api/v1/plans/{id}/submit", l.h(l.submitPlan))
	mux.Handle("POST /api/v1/plans/{id}/amend", l.h(l.amendPlan))
	mux.Handle("GET /api/v1/plans/{id}/diff", l.h(l.planDiff))
	mux.Handle("POST /api/v1/plans/{id}/approve-clear", l.h(l.approveClear))
	mux.Handle("POST /api/v1/plans/{id}/refuse-prohibited", l.h(l.refuseProhibited))
	mux.Handle("POST /api/v1/plans/{id}/lines/{line}/approve", l.h(onLine(l.approveLine)))
	mux.Handle("POST /api/v1/plans/{id}/lines/{line}/refuse", l.h(onLine(l.refuseLine)))
	mux.Handle("POST /api/v1/plans/{id}/lines/{line}/assess", l.h(onLine(l.assessLine)))
	mux.Handle("POST /api/v1/plans/{id}/lines/{line}/compliance", l.h(onLine(l.decideFinding)))

	mux.Handle("GET /api/v1/permits", l.h(l.listPermits))
	mux.Handle("GET /api/v1/permits/{id}", l.h(byID("permit", l.svc.Permit)))
	mux.Handle("POST /api/v1/permits/{id}/suspend", l.h(l.permitStatus(tradeplan.PermitSuspended)))
	mux.Handle("POST /api/v1/permits/{id}/reinstate", l.h(l.permitStatus(tradeplan.PermitIssued)))
	mux.Handle("POST /api/v1/permits/{id}/revoke", l.h(l.permitStatus(tradeplan.PermitRevoked)))
	mux.Handle("POST /api/v1/permits/{id}/use", l.h(l.usePermit))

	mux.Handle("GET /api/v1/crossings", l.h(l.listCrossings))
	mux.Handle("POST /api/v1/crossings", l.h(l.addCrossing))
	mux.Handle("GET /api/v1/crossings/{id}", l.h(l.getCrossing))
	mux.Handle("POST /api/v1/crossings/{id}/open", l.h(l.crossingStatus(tradeplan.CrossingOpen)))
	mux.Handle("POST /api/v1/crossings/{id}/close", l.h(l.crossingStatus(tradeplan.CrossingClosed)))

	// Necessary imports first (imports.go): capacity, ranking, budget, upgrades.
	mux.Handle("PUT /api/v1/crossings/{id}/capacity", l.h(l.setCapacity))
	mux.Handle("GET /api/v1/calls/{id}/imports", l.h(byID("call", l.svc.CallImports)))
	mux.Handle("PUT /api/v1/calls/{id}/budget", l.h(l.setBudget))
	mux.Handle("POST /api/v1/plans/{id}/lines/{line}/upgrade", l.h(onLine(l.upgradeLine)))

	mux.Handle("GET /api/v1/delegations", l.h(l.listDelegations))
	mux.Handle("POST /api/v1/delegations", l.h(l.delegate))
	mux.Handle("POST /api/v1/delegations/{id}/revoke", l.h(l.revokeDelegation))

	// An organisation's site file (sites.go): versions, and the authority's
	// review that makes one count for the assessment of its exports.
	mux.Handle("PUT /api/v1/orgs/{id}/sites", l.h(l.uploadSites))
	mux.Handle("GET /api/v1/orgs/{id}/sites", l.h(l.getSites))
	mux.Handle("GET /api/v1/orgs/{id}/sites/versions", l.h(l.listSiteVersions))
	mux.Handle("POST /api/v1/orgs/{id}/sites/versions/{version}/accept", l.h(l.reviewSites(true)))
	mux.Handle("POST /api/v1/orgs/{id}/sites/versions/{version}/reject", l.h(l.reviewSites(false)))

	// Enforcement (enforce.go): verifying permits (open: no account), the
	// signing keys, customs declarations, cases, re-screening.
	e := newEnforceAPI(s)
	mux.Handle("GET /api/v1/verify/{number}", e.open(e.verifyNumber))
	mux.Handle("POST /api/v1/verify", e.open(e.verifyDocument))
	mux.Handle("GET /api/v1/keys", e.open(e.listKeys))
	mux.Handle("POST /api/v1/keys/rotate", e.h(e.rotateKey))
	mux.Handle("GET /api/v1/permits/{id}/signed", e.h(e.signedPermit))
	mux.Handle("POST /api/v1/declarations", e.h(e.importDeclarations))
	mux.Handle("GET /api/v1/declarations", e.h(e.listDeclarations))
	mux.Handle("PUT /api/v1/tolerances/{unit}", e.h(e.setTolerance))
	mux.Handle("GET /api/v1/cases", e.h(e.listCases))
	mux.Handle("GET /api/v1/cases/{id}", e.h(e.getCase))
	mux.Handle("POST /api/v1/cases/{id}", e.h(e.changeCase))
	mux.Handle("POST /api/v1/rescreen", e.h(e.rescreen))

	// The HTML pages (ui*.go). They are not part of the JSON API and so not
	// in api/openapi.json: their patterns are joined from the method and the
	// path (TestOpenAPIMatchesRoutes looks for whole "METHOD /path" literals).
	u := newUI(s)
	s.htmlNotFound = u.public(u.notFound)
	const get, post = http.MethodGet + " ", http.MethodPost + " "
	mux.Handle(get+"/static/{file}", http.HandlerFunc(u.serveStatic))
	mux.Handle(get+"/{$}", u.public(u.home))
	mux.Handle(post+"/screen", u.public(u.screen))
	mux.Handle(get+"/login", u.public(u.loginPage))
	mux.Handle(post+"/login", u.public(u.loginSubmit))
	mux.Handle(post+"/logout", u.authed(u.logout))

	mux.Handle(get+"/plans", u.authed(u.onFilter(u.plans)))
	mux.Handle(post+"/plans", u.authed(u.uploadPlan))
	mux.Handle(get+"/plans/{id}", u.authed(u.plan))
	mux.Handle(post+"/plans/{id}/submit", u.authed(u.onPlanForm(u.submitPlan)))
	mux.Handle(post+"/plans/{id}/amend", u.authed(u.onPlanForm(u.amendPlan)))
	mux.Handle(post+"/plans/{id}/approve-clear", u.authed(u.onPlanForm(u.approveClear)))
	mux.Handle(post+"/plans/{id}/refuse-prohibited", u.authed(u.onPlanForm(u.refuseProhibited)))
	mux.Handle(post+"/plans/{id}/lines/{line}/approve", u.authed(u.onPlanForm(u.approveLine)))
	mux.Handle(post+"/plans/{id}/lines/{line}/refuse", u.authed(u.onPlanForm(u.refuseLine)))
	mux.Handle(post+"/plans/{id}/lines/{line}/assess", u.authed(u.onPlanForm(u.assessLine)))
	mux.Handle(post+"/plans/{id}/lines/{line}/compliance", u.authed(u.onPlanForm(u.decideFinding)))

	mux.Handle(get+"/calls", u.authed(u.calls))
	mux.Handle(post+"/calls", u.authed(u.onForm(u.openCall, u.calls)))
	mux.Handle(get+"/calls/{id}", u.authed(u.call))
	mux.Handle(get+"/permits", u.authed(u.onFilter(u.permits)))
	mux.Handle(post+"/permits/{id}/suspend", u.authed(u.onForm(u.permitStatus(tradeplan.PermitSuspended), u.permits)))
	mux.Handle(post+"/permits/{id}/reinstate", u.authed(u.onForm(u.permitStatus(tradeplan.PermitIssued), u.permits)))
	mux.Handle(post+"/permits/{id}/revoke", u.authed(u.onForm(u.permitStatus(tradeplan.PermitRevoked), u.permits)))
	mux.Handle(post+"/permits/{id}/use", u.authed(u.onForm(u.usePermit, u.permits)))
	mux.Handle(get+"/crossings", u.authed(u.crossings))
	mux.Handle(post+"/crossings/{id}/open", u.authed(u.onForm(u.setCrossing(tradeplan.CrossingOpen), u.crossings)))
	mux.Handle(post+"/crossings/{id}/close", u.authed(u.onForm(u.setCrossing(tradeplan.CrossingClosed), u.crossings)))
	mux.Handle(post+"/crossings/{id}/capacity", u.authed(u.onForm(u.setCapacity, u.crossings)))
	mux.Handle(post+"/calls/{id}/budget", u.authed(u.onForm(u.setBudget, u.call)))
	mux.Handle(post+"/plans/{id}/lines/{line}/upgrade", u.authed(u.onForm(u.upgradeLine, u.upgradeFormPage)))
	mux.Handle(get+"/audit", u.authed(u.onFilter(u.audit)))
	mux.Handle(get+"/permits/{id}/print", u.authed(u.permitPrint))
	mux.Handle(get+"/verify", u.public(u.verifyPage))
	mux.Handle(get+"/declarations", u.authed(u.declarationsPage))
	mux.Handle(get+"/cases", u.authed(u.casesPage))
	mux.Handle(get+"/declarations/import", u.authed(u.declarationsImportPage))
	mux.Handle(post+"/declarations/import", u.authed(u.importDeclarationsForm))
	mux.Handle(post+"/cases/{id}/investigate", u.authed(u.onForm(u.investigateCase, u.casesPage)))
	mux.Handle(post+"/cases/{id}/note", u.authed(u.onForm(u.noteCase, u.casesPage)))
	mux.Handle(post+"/cases/{id}/close", u.authed(u.onForm(u.closeCase, u.casesPage)))
	// Worklists, lists as CSV, documents, charts (ui_work.go, ui_csv.go).
	mux.Handle(get+"/plans.csv", u.authed(u.plansCSV))
	mux.Handle(get+"/permits.csv", u.authed(u.permitsCSV))
	mux.Handle(get+"/permits/charts", u.authed(u.permitChartsPage))
	mux.Handle(post+"/calls/{id}/close", u.authed(u.onForm(u.closeCall, u.call)))
	mux.Handle(get+"/caps", u.authed(u.caps))
	mux.Handle(get+"/orgs", u.authed(u.orgsPage))
	mux.Handle(post+"/orgs", u.authed(u.onForm(u.createOrgForm, u.orgsPage)))
	mux.Handle(post+"/users", u.authed(u.onForm(u.createUserForm, u.orgsPage)))
	mux.Handle(post+"/users/{id}/disable", u.authed(u.onForm(u.setUserDisabled(true), u.orgsPage)))
	mux.Handle(post+"/users/{id}/enable", u.authed(u.onForm(u.setUserDisabled(false), u.orgsPage)))
	mux.Handle(get+"/audit.csv", u.authed(u.auditCSV))
	mux.Handle(get+"/plans/{id}/lines.csv", u.authed(u.planLinesCSV))
	mux.Handle(get+"/plans/{id}/document.yaml", u.authed(u.planDocument(plan.YAML)))
	mux.Handle(get+"/plans/{id}/document.json", u.authed(u.planDocument(plan.JSON)))
	// Site files on the web (ui_sites.go), crossing changes confirmed (ui_confirm.go).
	mux.Handle(get+"/sites", u.authed(u.sitesIndex))
	mux.Handle(get+"/orgs/{id}/sites", u.authed(u.siteVersions))
	mux.Handle(post+"/orgs/{id}/sites", u.authed(u.onForm(u.uploadSitesForm, u.siteVersions)))
	mux.Handle(get+"/orgs/{id}/sites/{version}", u.authed(u.siteFile))
	mux.Handle(post+"/orgs/{id}/sites/{version}/accept", u.authed(u.onForm(u.reviewSitesForm(true), u.siteFile)))
	mux.Handle(post+"/orgs/{id}/sites/{version}/reject", u.authed(u.onForm(u.reviewSitesForm(false), u.siteFile)))
}
