package server

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tradeplan/tradeplan"
	"github.com/tradeplan/tradeplan/licensing"
)

// How another organisation tree's answer to a route is judged.
type scopeKind int

const (
	// scoped: the route names a thing of the victim's tree; the answer is
	// 404, and byte for byte the answer for a thing that does not exist.
	scoped scopeKind = iota
	// listed: a list, search, CSV, chart or worklist, maybe filtered by the
	// victim's ids; the answer equals the answer filtered by ids that do not
	// exist (so no count, chart or cursor tells them apart), and holds no
	// mark of the victim's data.
	listed
	// shared: the route is open to everyone or about shared things
	// (crossings, keys, the caller's own account): no mark of the victim's
	// data, and it changes nothing of the victim's.
	shared
)

// scopeRoute is how to call one route as an attacker: the path and body
// with {plan}, {permit}, {call}, {org}, {user}, {token}, {delegation},
// {case}, {number} for the victim's things.
type scopeRoute struct {
	kind        scopeKind
	path        string
	body        string
	contentType string // JSON when empty and body is set; form for pages
}

// scopeTable is every route the server serves. TestAttackScopeEveryRoute
// fails on a route missing here, so that a new route states its scope.
var scopeTable = map[string]scopeRoute{
	"GET /healthz":                                           {kind: shared, path: "/healthz"},
	"GET /api/v1/openapi.json":                               {kind: shared, path: "/api/v1/openapi.json"},
	"POST /api/v1/screen":                                    {kind: shared, path: "/api/v1/screen", body: scopeMarkPlan, contentType: "application/yaml"},
	"POST /api/v1/parties/screen":                            {kind: shared, path: "/api/v1/parties/screen", body: `{"names":["Zebra Marker Grain"]}`},
	"POST /api/v1/parties/compare":                           {kind: shared, path: "/api/v1/parties/compare", body: `{"name1":"Zebra Marker Grain","name2":"Zebra Marker Grain"}`},
	"POST /api/v1/login":                                     {kind: shared, path: "/api/v1/login", body: `{"email":"province-submitter@example.org","password":"wrong password here"}`},
	"POST /api/v1/logout":                                    {kind: shared, path: "/api/v1/logout"},
	"GET /api/v1/me":                                         {kind: shared, path: "/api/v1/me"},
	"GET /api/v1/orgs":                                       {kind: listed, path: "/api/v1/orgs?parent_id={org}"},
	"POST /api/v1/orgs":                                      {kind: scoped, path: "/api/v1/orgs", body: `{"parent_id":{org},"name":"Marker branch","kind":"agency","country":"KP"}`},
	"GET /api/v1/orgs/{id}":                                  {kind: scoped, path: "/api/v1/orgs/{org}"},
	"GET /api/v1/users":                                      {kind: listed, path: "/api/v1/users?org_id={org}"},
	"POST /api/v1/users":                                     {kind: scoped, path: "/api/v1/users", body: `{"org_id":{org},"email":"mole@example.org","name":"mole","role":"admin","password":"correct horse battery"}`},
	"GET /api/v1/tokens":                                     {kind: shared, path: "/api/v1/tokens"},
	"POST /api/v1/tokens":                                    {kind: shared, path: "/api/v1/tokens", body: `{"name":"mine"}`},
	"DELETE /api/v1/tokens/{id}":                             {kind: scoped, path: "/api/v1/tokens/{token}"},
	"GET /api/v1/audit":                                      {kind: listed, path: "/api/v1/audit?subject=plan:{plan}"},
	"GET /api/v1/audit/verify":                               {kind: shared, path: "/api/v1/audit/verify"},
	"GET /api/v1/calls":                                      {kind: listed, path: "/api/v1/calls"},
	"POST /api/v1/calls":                                     {kind: scoped, path: "/api/v1/calls", body: `{"period":"2027-H2","deadline":"2027-04-30","organisations":[{org}]}`},
	"GET /api/v1/calls/{id}":                                 {kind: scoped, path: "/api/v1/calls/{call}"},
	"POST /api/v1/calls/{id}/close":                          {kind: scoped, path: "/api/v1/calls/{call}/close", body: `{"reason":"x"}`},
	"POST /api/v1/calls/{id}/plans":                          {kind: scoped, path: "/api/v1/calls/{call}/plans?submit=true", body: scopeMarkPlan, contentType: "application/yaml"},
	"GET /api/v1/plans":                                      {kind: listed, path: "/api/v1/plans?call={call}"},
	"GET /api/v1/plans/{id}":                                 {kind: scoped, path: "/api/v1/plans/{plan}"},
	"PUT /api/v1/plans/{id}":                                 {kind: scoped, path: "/api/v1/plans/{plan}", body: scopeMarkPlan, contentType: "application/yaml"},
	"POST /api/v1/plans/{id}/lines":                          {kind: scoped, path: "/api/v1/plans/{plan}/lines", body: `{"direction":"import","description":"x","quantity":1,"unit":"t"}`},
	"DELETE /api/v1/plans/{id}/lines/{line}":                 {kind: scoped, path: "/api/v1/plans/{plan}/lines/1"},
	"POST /api/v1/plans/{id}/submit":                         {kind: scoped, path: "/api/v1/plans/{plan}/submit"},
	"POST /api/v1/plans/{id}/amend":                          {kind: scoped, path: "/api/v1/plans/{plan}/amend?reason=x", body: scopeMarkPlan, contentType: "application/yaml"},
	"GET /api/v1/plans/{id}/diff":                            {kind: scoped, path: "/api/v1/plans/{plan}/diff"},
	"POST /api/v1/plans/{id}/approve-clear":                  {kind: scoped, path: "/api/v1/plans/{plan}/approve-clear", body: `{"reason":"x"}`},
	"POST /api/v1/plans/{id}/refuse-prohibited":              {kind: scoped, path: "/api/v1/plans/{plan}/refuse-prohibited", body: `{"reason":"x"}`},
	"POST /api/v1/plans/{id}/lines/{line}/approve":           {kind: scoped, path: "/api/v1/plans/{plan}/lines/2/approve", body: `{"reason":"x"}`},
	"POST /api/v1/plans/{id}/lines/{line}/refuse":            {kind: scoped, path: "/api/v1/plans/{plan}/lines/2/refuse", body: `{"reason":"x"}`},
	"POST /api/v1/plans/{id}/lines/{line}/assess":            {kind: scoped, path: "/api/v1/plans/{plan}/lines/2/assess", body: `{"hs":"100630","reason":"x"}`},
	"POST /api/v1/plans/{id}/lines/{line}/compliance":        {kind: scoped, path: "/api/v1/plans/{plan}/lines/2/compliance", body: `{"finding":"party:un/KPe.TEST","decision":"cleared","reason":"x"}`},
	"POST /api/v1/plans/{id}/lines/{line}/upgrade":           {kind: scoped, path: "/api/v1/plans/{plan}/lines/2/upgrade", body: `{"tier":"critical","reason":"x"}`},
	"GET /api/v1/permits":                                    {kind: listed, path: "/api/v1/permits?plan={plan}&call={call}"},
	"GET /api/v1/permits/{id}":                               {kind: scoped, path: "/api/v1/permits/{permit}"},
	"POST /api/v1/permits/{id}/suspend":                      {kind: scoped, path: "/api/v1/permits/{permit}/suspend", body: `{"reason":"x"}`},
	"POST /api/v1/permits/{id}/reinstate":                    {kind: scoped, path: "/api/v1/permits/{permit}/reinstate", body: `{"reason":"x"}`},
	"POST /api/v1/permits/{id}/revoke":                       {kind: scoped, path: "/api/v1/permits/{permit}/revoke", body: `{"reason":"x"}`},
	"POST /api/v1/permits/{id}/use":                          {kind: scoped, path: "/api/v1/permits/{permit}/use", body: `{"quantity":1,"value":1,"reference":"x"}`},
	"GET /api/v1/permits/{id}/signed":                        {kind: scoped, path: "/api/v1/permits/{permit}/signed"},
	"GET /api/v1/crossings":                                  {kind: shared, path: "/api/v1/crossings"},
	"POST /api/v1/crossings":                                 {kind: shared, path: "/api/v1/crossings", body: `{"id":"mole-bridge","name":"Mole bridge","kind":"bridge"}`},
	"GET /api/v1/crossings/{id}":                             {kind: shared, path: "/api/v1/crossings/namyang-tumen"},
	"POST /api/v1/crossings/{id}/open":                       {kind: shared, path: "/api/v1/crossings/namyang-tumen/open", body: `{"reason":"x"}`},
	"POST /api/v1/crossings/{id}/close":                      {kind: shared, path: "/api/v1/crossings/namyang-tumen/close", body: `{"reason":"x"}`},
	"PUT /api/v1/crossings/{id}/capacity":                    {kind: shared, path: "/api/v1/crossings/namyang-tumen/capacity", body: `{"tonnes_per_week":1}`},
	"GET /api/v1/calls/{id}/imports":                         {kind: scoped, path: "/api/v1/calls/{call}/imports"},
	"PUT /api/v1/calls/{id}/budget":                          {kind: scoped, path: "/api/v1/calls/{call}/budget", body: `{"version":1,"currency":"USD","receipts":1000}`},
	"GET /api/v1/delegations":                                {kind: listed, path: "/api/v1/delegations"},
	"POST /api/v1/delegations":                               {kind: scoped, path: "/api/v1/delegations", body: `{"office":{org},"reason":"x"}`},
	"POST /api/v1/delegations/{id}/revoke":                   {kind: scoped, path: "/api/v1/delegations/{delegation}/revoke", body: `{"reason":"x"}`},
	"PUT /api/v1/orgs/{id}/sites":                            {kind: scoped, path: "/api/v1/orgs/{org}/sites", body: hairSites, contentType: "application/yaml"},
	"GET /api/v1/orgs/{id}/sites":                            {kind: scoped, path: "/api/v1/orgs/{org}/sites"},
	"GET /api/v1/orgs/{id}/sites/versions":                   {kind: scoped, path: "/api/v1/orgs/{org}/sites/versions"},
	"POST /api/v1/orgs/{id}/sites/versions/{version}/accept": {kind: scoped, path: "/api/v1/orgs/{org}/sites/versions/1/accept", body: `{"reason":"x"}`},
	"POST /api/v1/orgs/{id}/sites/versions/{version}/reject": {kind: scoped, path: "/api/v1/orgs/{org}/sites/versions/1/reject", body: `{"reason":"x"}`},
	// Verification by number is open by design (docs/enforcement.md): the
	// number is the secret a border officer is shown.
	"GET /api/v1/verify/{number}":   {kind: shared, path: "/api/v1/verify/TP-2027H2-I-999999-0"},
	"POST /api/v1/verify":           {kind: shared, path: "/api/v1/verify", body: `{}`},
	"GET /api/v1/keys":              {kind: shared, path: "/api/v1/keys"},
	"POST /api/v1/keys/rotate":      {kind: shared, path: "/api/v1/keys/rotate", body: `{"reason":"x"}`},
	"POST /api/v1/declarations":     {kind: scoped, path: "/api/v1/declarations?batch=mole", body: scopeDeclarations, contentType: "text/csv"},
	"GET /api/v1/declarations":      {kind: listed, path: "/api/v1/declarations?permit={permit}"},
	"PUT /api/v1/tolerances/{unit}": {kind: shared, path: "/api/v1/tolerances/t", body: `{"percent":5}`},
	"GET /api/v1/cases":             {kind: listed, path: "/api/v1/cases"},
	"GET /api/v1/cases/{id}":        {kind: scoped, path: "/api/v1/cases/{case}"},
	"POST /api/v1/cases/{id}":       {kind: scoped, path: "/api/v1/cases/{case}", body: `{"note":"x"}`},
	"POST /api/v1/rescreen":         {kind: shared, path: "/api/v1/rescreen", body: `{"reason":"x"}`},

	// The pages.
	"GET /static/{file}":                       {kind: shared, path: "/static/style.css"},
	"GET /{$}":                                 {kind: shared, path: "/"},
	"POST /screen":                             {kind: shared, path: "/screen", body: "document=" + url.QueryEscape(scopeMarkPlan)},
	"GET /login":                               {kind: shared, path: "/login?next=/plans/{plan}"},
	"POST /login":                              {kind: shared, path: "/login", body: "email=province-submitter%40example.org&password=wrong"},
	"POST /logout":                             {kind: shared, path: "/logout"},
	"GET /plans":                               {kind: listed, path: "/plans?org={org}&call={call}&before={plan}"},
	"POST /plans":                              {kind: scoped, path: "/plans", body: "call={call}&format=yaml&document=" + url.QueryEscape(scopeMarkPlan)},
	"GET /plans/{id}":                          {kind: scoped, path: "/plans/{plan}"},
	"POST /plans/{id}/submit":                  {kind: scoped, path: "/plans/{plan}/submit"},
	"POST /plans/{id}/amend":                   {kind: scoped, path: "/plans/{plan}/amend", body: "reason=x&format=yaml&document=" + url.QueryEscape(scopeMarkPlan)},
	"POST /plans/{id}/approve-clear":           {kind: scoped, path: "/plans/{plan}/approve-clear", body: "reason=x"},
	"POST /plans/{id}/refuse-prohibited":       {kind: scoped, path: "/plans/{plan}/refuse-prohibited", body: "reason=x"},
	"POST /plans/{id}/lines/{line}/approve":    {kind: scoped, path: "/plans/{plan}/lines/2/approve", body: "reason=x"},
	"POST /plans/{id}/lines/{line}/refuse":     {kind: scoped, path: "/plans/{plan}/lines/2/refuse", body: "reason=x"},
	"POST /plans/{id}/lines/{line}/assess":     {kind: scoped, path: "/plans/{plan}/lines/2/assess", body: "hs=100630&reason=x"},
	"POST /plans/{id}/lines/{line}/compliance": {kind: scoped, path: "/plans/{plan}/lines/2/compliance", body: "finding=party%3Aun%2FKPe.TEST&decision=cleared&reason=x"},
	"POST /plans/{id}/lines/{line}/upgrade":    {kind: scoped, path: "/plans/{plan}/lines/2/upgrade", body: "tier=critical&reason=x"},
	"GET /calls":                               {kind: listed, path: "/calls"},
	"POST /calls":                              {kind: scoped, path: "/calls", body: "period=2027-H2&deadline=2027-04-30&org={org}"},
	"GET /calls/{id}":                          {kind: scoped, path: "/calls/{call}"},
	"POST /calls/{id}/close":                   {kind: scoped, path: "/calls/{call}/close", body: "reason=x"},
	"POST /calls/{id}/budget":                  {kind: scoped, path: "/calls/{call}/budget", body: "version=1&currency=USD&receipts=1000"},
	"GET /permits":                             {kind: listed, path: "/permits?holder={org}&plan={plan}&call={call}&before={permit}"},
	"POST /permits/{id}/suspend":               {kind: scoped, path: "/permits/{permit}/suspend", body: "reason=x"},
	"POST /permits/{id}/reinstate":             {kind: scoped, path: "/permits/{permit}/reinstate", body: "reason=x"},
	"POST /permits/{id}/revoke":                {kind: scoped, path: "/permits/{permit}/revoke", body: "reason=x"},
	"POST /permits/{id}/use":                   {kind: scoped, path: "/permits/{permit}/use", body: "quantity=1&value=1&reference=x"},
	"GET /permits/{id}/print":                  {kind: scoped, path: "/permits/{permit}/print"},
	"GET /crossings":                           {kind: shared, path: "/crossings"},
	"POST /crossings/{id}/open":                {kind: shared, path: "/crossings/namyang-tumen/open", body: "reason=x"},
	"POST /crossings/{id}/close":               {kind: shared, path: "/crossings/namyang-tumen/close", body: "reason=x"},
	"POST /crossings/{id}/capacity":            {kind: shared, path: "/crossings/namyang-tumen/capacity", body: "tonnes_per_week=1"},
	"GET /audit":                               {kind: listed, path: "/audit?subject=plan:{plan}"},
	"GET /verify":                              {kind: shared, path: "/verify?number=TP-2027H2-I-999999-0"},
	"GET /declarations":                        {kind: listed, path: "/declarations?permit={permit}"},
	"GET /cases":                               {kind: listed, path: "/cases"},
	"GET /declarations/import":                 {kind: shared, path: "/declarations/import"},
	"POST /declarations/import":                {kind: scoped, path: "/declarations/import", body: "batch=mole&document=" + url.QueryEscape(scopeDeclarations)},
	"POST /cases/{id}/investigate":             {kind: scoped, path: "/cases/{case}/investigate", body: "reason=x"},
	"POST /cases/{id}/note":                    {kind: scoped, path: "/cases/{case}/note", body: "note=x"},
	"POST /cases/{id}/close":                   {kind: scoped, path: "/cases/{case}/close", body: "outcome=corrected&reason=x"},
	"GET /plans.csv":                           {kind: listed, path: "/plans.csv?org={org}&call={call}"},
	"GET /permits.csv":                         {kind: listed, path: "/permits.csv?holder={org}&plan={plan}&call={call}"},
	"GET /permits/charts":                      {kind: listed, path: "/permits/charts?holder={org}&plan={plan}&call={call}"},
	"GET /caps":                                {kind: listed, path: "/caps"},
	"GET /orgs":                                {kind: listed, path: "/orgs"},
	"POST /orgs":                               {kind: scoped, path: "/orgs", body: "parent_id={org}&name=Marker+branch&kind=agency&country=KP"},
	"GET /sites":                               {kind: listed, path: "/sites"},
	"GET /orgs/{id}/sites":                     {kind: scoped, path: "/orgs/{org}/sites"},
	"POST /orgs/{id}/sites":                    {kind: scoped, path: "/orgs/{org}/sites", body: "format=yaml&document=" + url.QueryEscape(hairSites)},
	"GET /orgs/{id}/sites/{version}":           {kind: scoped, path: "/orgs/{org}/sites/1"},
	"POST /orgs/{id}/sites/{version}/accept":   {kind: scoped, path: "/orgs/{org}/sites/1/accept", body: "reason=x"},
	"POST /orgs/{id}/sites/{version}/reject":   {kind: scoped, path: "/orgs/{org}/sites/1/reject", body: "reason=x"},
	"POST /users":                              {kind: scoped, path: "/users", body: "org_id={org}&email=mole%40example.org&name=mole&role=admin"},
	"POST /users/{id}/disable":                 {kind: scoped, path: "/users/{user}/disable"},
	"POST /users/{id}/enable":                  {kind: scoped, path: "/users/{user}/enable"},
	"GET /audit.csv":                           {kind: listed, path: "/audit.csv?subject=plan:{plan}"},
	"GET /plans/{id}/lines.csv":                {kind: scoped, path: "/plans/{plan}/lines.csv"},
	"GET /plans/{id}/document.yaml":            {kind: scoped, path: "/plans/{plan}/document.yaml"},
	"GET /plans/{id}/document.json":            {kind: scoped, path: "/plans/{plan}/document.json"},
}

// scopeOpenWrites are the shared routes any signed-in user (or anyone) may
// post to: they store nothing of anyone else's.
var scopeOpenWrites = map[string]bool{
	"POST /api/v1/screen": true, "POST /api/v1/parties/screen": true, "POST /api/v1/parties/compare": true,
	"POST /api/v1/login": true, "POST /api/v1/tokens": true, "POST /api/v1/verify": true, "POST /screen": true, "POST /login": true,
}

// scopeMarkPlan is the victim's plan: its words are the marks that no answer
// to another tree may hold.
const scopeMarkPlan = `plan:
  id: province-marker
  organisation: North Hamgyong Provincial Trade Bureau
  country: KP
  period: 2027-H2
lines:
  - {direction: import, description: zebra marker rice, hs: "1006.30", quantity: 500, unit: t, value: 260000, currency: USD, crossing: Namyang-Tumen, partner: {name: Zebra Marker Grain, country: CN}}
  - {direction: import, description: zebra marker fertiliser, hs: "3102.10", quantity: 400, unit: t, value: 140000, currency: USD, crossing: Namyang-Tumen, partner: {name: Tanchon Marker Trading, country: CN}}
`

var scopeDeclarations = "declaration,declarant,permit,date,origin,destination,hs,description,quantity,unit,value,currency,crossing\n" +
	"CD-MOLE-1,{org},{number},2027-07-10,CN,KP,100630,zebra marker rice,1,t,500,USD,Namyang-Tumen\n"

// scopeMarks are words of the victim's tree that no answer to another tree
// holds (the routes that echo the attacker's own request aside).
var scopeMarks = []string{"Zebra Marker Grain", "zebra marker rice", "North Hamgyong", "Chongjin", "province-submitter@", "province-admin@", "CD-MARK-1", "Hoeryong"}

// routePatterns returns every route routes.go registers, as "METHOD /path",
// from its source: string literals and get+"/path" / post+"/path".
func routePatterns(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	af, err := parser.ParseFile(fset, "routes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	ast.Inspect(af, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 2 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Handle" {
			return true
		}
		switch a := call.Args[0].(type) {
		case *ast.BasicLit:
			s, _ := strconv.Unquote(a.Value)
			out = append(out, s)
		case *ast.BinaryExpr:
			id, ok1 := a.X.(*ast.Ident)
			lit, ok2 := a.Y.(*ast.BasicLit)
			if !ok1 || !ok2 {
				t.Fatalf("%s: a route pattern this test cannot read", fset.Position(a.Pos()))
			}
			s, _ := strconv.Unquote(lit.Value)
			out = append(out, strings.ToUpper(id.Name)+" "+s)
		default:
			t.Fatalf("%s: a route pattern this test cannot read", fset.Position(call.Pos()))
		}
		return true
	})
	if len(out) < 100 {
		t.Fatalf("read only %d routes from routes.go; the scan is broken", len(out))
	}
	return out
}

// TestAttackScopeTableComplete fails on a route the scope table does not
// list, or a row for a route that is gone.
func TestAttackScopeTableComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range routePatterns(t) {
		seen[r] = true
		if _, ok := scopeTable[r]; !ok {
			t.Errorf("route %q is not in scopeTable (attack_scope_test.go): say how another organisation's users are answered", r)
		}
	}
	for r := range scopeTable {
		if !seen[r] {
			t.Errorf("scopeTable lists %q, which routes.go does not serve", r)
		}
	}
}

// TestAttackScopeEveryRoute walks every route as each user of another tree
// (submitter, reviewer, compliance officer, administrator) against a
// province that has a call, a plan, a permit, a site file, a declaration and
// its case, a delegation, a token and users: the victim's things are 404
// exactly as missing ones are, lists filtered by the victim's ids answer as
// for ids that do not exist, and no answer holds the victim's words.
func TestAttackScopeEveryRoute(t *testing.T) {
	onEngines(t, func(t *testing.T, eng string) {
		h := newHarness(t, eng, withPartyReview(t), func(c *Config) {
			c.ScreenPerIP = Rate{Burst: -1}
			c.LoginPerIP = Rate{Burst: -1}
			c.LoginPerEmail = Rate{Burst: -1}
		})
		h.addUser("authority-reviewer", "authority", tradeplan.RoleReviewer)
		h.addUser("authority-compliance", "authority", tradeplan.RoleCompliance)
		h.addUser("importer-reviewer", "importer", tradeplan.RoleReviewer)
		h.addUser("importer-compliance", "importer", tradeplan.RoleCompliance)
		admin := h.token("authority-admin")
		reviewer := h.token("authority-reviewer")
		compliance := h.token("authority-compliance")
		province := h.token("province-submitter")
		prov := h.orgs["province"].ID

		admin.post("/api/v1/crossings", map[string]any{"id": "namyang-tumen", "name": "Namyang-Tumen bridge", "kind": "bridge", "status": "open"}).want(http.StatusCreated)
		call := h.openCall(admin, map[string]any{"organisations": []int64{prov}, "include_offices": true})
		var pd licensing.PlanDetail
		province.do(http.MethodPost, fmt.Sprintf("/api/v1/calls/%d/plans?submit=true", call.ID), scopeMarkPlan, "application/yaml").want(http.StatusCreated).decode(&pd)
		var ar approveResponse
		reviewer.post(fmt.Sprintf("/api/v1/plans/%d/lines/1/approve", pd.Plan.ID), map[string]any{"reason": "rice"}).want(http.StatusOK).decode(&ar)
		province.do(http.MethodPut, fmt.Sprintf("/api/v1/orgs/%d/sites", prov), hairSites, "application/yaml").want(http.StatusCreated)
		var res licensing.IntakeResult
		compliance.do(http.MethodPost, "/api/v1/declarations?batch=victim", fmt.Sprintf("declaration,declarant,permit,date,origin,destination,hs,description,quantity,unit,value,currency,crossing\n"+
			"CD-MARK-1,%d,,2027-07-10,CN,KP,310210,zebra marker fertiliser,300,t,150000,USD,Namyang-Tumen\n", prov), "text/csv").want(http.StatusCreated).decode(&res)
		var cases []licensing.Case
		compliance.get("/api/v1/cases").want(http.StatusOK).decode(&cases)
		if len(cases) == 0 {
			t.Fatal("the victim's declaration opened no case")
		}
		var del struct {
			ID int64 `json:"id"`
		}
		admin.post("/api/v1/delegations", map[string]any{"office": h.orgs["agency"].ID, "reason": "marker office"}).want(http.StatusCreated).decode(&del)
		var tok struct {
			Token struct {
				ID int64 `json:"id"`
			} `json:"token"`
		}
		h.token("province-admin").post("/api/v1/tokens", map[string]string{"name": "victim"}).want(http.StatusCreated).decode(&tok)

		victim := map[string]string{
			"{plan}": fmt.Sprint(pd.Plan.ID), "{permit}": fmt.Sprint(ar.Permit.ID), "{call}": fmt.Sprint(call.ID), "{org}": fmt.Sprint(prov),
			"{user}": fmt.Sprint(h.users["province-submitter"].ID), "{token}": fmt.Sprint(tok.Token.ID), "{delegation}": fmt.Sprint(del.ID),
			"{case}": fmt.Sprint(cases[0].ID), "{number}": ar.Permit.Number,
		}
		for k, v := range victim {
			if v == "" || v == "0" {
				t.Fatalf("victim %s not set", k)
			}
		}
		ghost := map[string]string{}
		for k := range victim {
			ghost[k] = "987654"
		}
		ghost["{number}"] = "TP-2027H2-I-987654-0"

		routes := routePatterns(t)
		sort.Strings(routes)
		for _, who := range []string{"importer-submitter", "importer-reviewer", "importer-compliance", "importer-admin"} {
			c := h.session(who)
			c.hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			for _, pattern := range routes {
				sr, ok := scopeTable[pattern]
				if !ok || pattern == "POST /api/v1/logout" || pattern == "POST /logout" {
					continue // TestAttackScopeTableComplete; logging out would end the walk
				}
				method, _, _ := strings.Cut(pattern, " ")
				send := func(ids map[string]string) *response {
					path, body := fill(sr.path, ids), fill(sr.body, ids)
					ct := sr.contentType
					if ct == "" && body != "" {
						if strings.HasPrefix(path, "/api/") {
							ct = "application/json"
						} else {
							ct = "application/x-www-form-urlencoded"
						}
					}
					var b any
					if body != "" {
						b = body
					}
					return c.do(method, path, b, ct)
				}
				r := send(victim)
				where := who + ": " + pattern
				if r.status >= 500 {
					t.Errorf("%s: status %d: %s", where, r.status, r.body)
					continue
				}
				if r.status >= 200 && r.status < 300 && sr.kind == scoped {
					t.Errorf("%s: status %d on the victim's thing: %.300s", where, r.status, r.body)
				}
				if m := scopeMark(r, sr); m != "" {
					t.Errorf("%s: the answer holds the victim's %q: %.400s", where, m, r.body)
				}
				if sr.kind == shared {
					// Shared things (crossings, keys, tolerances, re-screening)
					// are the authority's to change, never another tree's.
					if method != http.MethodGet && r.status < 400 && !scopeOpenWrites[pattern] {
						t.Errorf("%s: status %d: another tree changed a shared thing: %.300s", where, r.status, r.body)
					}
					continue
				}
				g := send(ghost)
				vb, gb := normaliseScope(r.body, victim, ghost), normaliseScope(g.body, victim, ghost)
				if r.status != g.status || vb != gb {
					t.Errorf("%s: the victim's ids are answered %d, missing ones %d; the answers differ:\n%s", where, r.status, g.status, firstDiff(vb, gb))
				}
			}
		}
	})
}

func fill(s string, ids map[string]string) string {
	for k, v := range ids {
		s = strings.ReplaceAll(s, k, v)
	}
	return s
}

// scopeMark returns a mark of the victim's data in the answer, other than
// words the request itself sent (an echo of the attacker's own input).
func scopeMark(r *response, sr scopeRoute) string {
	body := string(r.body) + " " + r.header.Get("Location")
	for _, m := range scopeMarks {
		if strings.Contains(body, m) && !strings.Contains(sr.body, m) && !strings.Contains(strings.ReplaceAll(url.QueryEscape(sr.body), "+", " "), m) && !strings.Contains(sr.body, url.QueryEscape(m)) {
			return m
		}
	}
	return ""
}

// normaliseScope puts one placeholder for every victim and ghost id in an
// answer, so that an echo of the id asked for does not make two answers
// differ; whatever else differs is told apart.
func normaliseScope(b []byte, victim, ghost map[string]string) string {
	var alts []string
	for _, m := range []map[string]string{victim, ghost} {
		for _, v := range m {
			alts = append(alts, regexp.QuoteMeta(v))
		}
	}
	sort.Slice(alts, func(i, j int) bool { return len(alts[i]) > len(alts[j]) })
	re := regexp.MustCompile(`\b(` + strings.Join(alts, "|") + `)\b`)
	return re.ReplaceAllString(strings.NewReplacer("%3A", ":", "%3a", ":").Replace(string(b)), "#")
}

// firstDiff shows where two answers part, with some context.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(i-200, 0)
	return fmt.Sprintf("victim:  ...%s\nmissing: ...%s", a[from:min(i+200, len(a))], b[from:min(i+200, len(b))])
}
