package web

import (
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// The OpenAPI 3.1 description of /api/v1, served at /api/openapi.json. It
// is built from apiOps, one entry per route; a test checks that the routes
// registered in routes.go and the operations described are the same, so the
// description cannot drift from the router.

// apiOp describes one operation of the API.
type apiOp struct {
	Method, Path, Summary, Tag string
	Query                      []apiParam
	Body                       string // "", "form", "json" or "multipart"
	Response                   string // a component schema name, or "" for a plain object
	Status                     int    // success status (default 200)
}

type apiParam struct{ Name, Description string }

var (
	qAt        = apiParam{"at", "Date to measure at, YYYY-MM-DD; default the last date the data covers. 400 outside the data."}
	qReview    = []apiParam{qAt, {"rule", "Only placements flagged by this rule id"}, {"council", "Only this council (ONS code)"}, {"group", "Only this placement group (e.g. childrens_home)"}, {"sort", "priority (default), age, miles, cost, since, saving or child"}, {"dir", "asc or desc"}, {"page", "Ignored by the API (every matching item is returned); the page shows 50 a page"}}
	qAudit     = []apiParam{{"actor", "Only entries by this person"}, {"council", "Only entries about this council"}, {"action", "Only this action"}, {"since", "Only entries on or after this date, YYYY-MM-DD"}, {"until", "Only entries on or before this date, YYYY-MM-DD"}}
	qMarket    = []apiParam{qAt, {"region", "An English region; default England"}}
	qReferrals = []apiParam{{"limit", "Referrals a page, 1–200 (default 50)"}, {"after", "The next of the page before: the page starts after this referral (default: the newest)"}}
	qCouncil   = []apiParam{{"council", "Only forecasts covering this council"}}
	qReport    = []apiParam{{"format", "html (default), pdf or xlsx"}, qAt, {"scenario", "a saved scenario run's id to attach (repeat for several, at most 10); it must cover the same councils"}}
)

// apiOps is every operation of /api/v1.
var apiOps = []apiOp{
	{Method: "GET", Path: "/api/v1/me", Summary: "Who the caller is: name, role and scope", Tag: "session", Response: "Me"},
	{Method: "GET", Path: "/api/v1/councils", Summary: "Councils with data loaded, counts suppressed outside the caller's scope", Tag: "picture", Response: "Councils"},
	{Method: "GET", Path: "/api/v1/councils/{code}/picture", Summary: "A council's sufficiency picture (tables with published comparators)", Tag: "picture", Query: []apiParam{qAt}, Response: "Result"},
	{Method: "GET", Path: "/api/v1/councils/{code}/review", Summary: "A council's needs-led review worklist, as 'sufficiency review' builds it", Tag: "review", Query: qReview, Response: "Review"},
	{Method: "GET", Path: "/api/v1/regions/{name}/picture", Summary: "A region's sufficiency picture", Tag: "picture", Query: []apiParam{qAt}, Response: "Result"},
	{Method: "GET", Path: "/api/v1/regions/{name}/review", Summary: "A region's review worklist (RCC of the region, admin)", Tag: "review", Query: qReview, Response: "Review"},
	{Method: "GET", Path: "/api/v1/england/picture", Summary: "The picture of every loaded council (suppressed unless admin)", Tag: "picture", Query: []apiParam{qAt}, Response: "Result"},
	{Method: "GET", Path: "/api/v1/market", Summary: "The market: concentration, ownership, prices, contingency", Tag: "market", Query: qMarket, Response: "Result"},
	{Method: "GET", Path: "/api/v1/forecasts", Summary: "Saved forecasts of councils the caller may see, newest first", Tag: "forecast", Query: qCouncil, Response: "Forecasts"},
	{Method: "POST", Path: "/api/v1/forecasts", Summary: "Run and save a child-level forecast (form: scope=council:CODE|region:NAME, years 1–5, sims 50–2000, budget pounds per year)", Tag: "forecast", Body: "form", Response: "ForecastSummary", Status: 201},
	{Method: "GET", Path: "/api/v1/forecasts/{id}", Summary: "A saved forecast's record, as 'sufficiency forecast --show' reads it", Tag: "forecast"},
	{Method: "GET", Path: "/api/v1/backtest", Summary: "Accuracy of the published-statistics model and the naive baselines over every origin (as 'sufficiency backtest')", Tag: "forecast"},
	{Method: "GET", Path: "/api/v1/imports", Summary: "Past imports of the councils the caller may import, newest first, with their errors and warnings", Tag: "imports"},
	{Method: "GET", Path: "/api/v1/audit", Summary: "Audit entries, newest first (admin)", Tag: "audit", Query: qAudit},
	{Method: "GET", Path: "/api/v1/councils/{code}/report", Summary: "A council's sufficiency statement as a file (attachment): format=html (one standalone page, text/html), pdf (A4, application/pdf) or xlsx (every table on a sheet); small numbers suppressed", Tag: "statement", Query: qReport},
	{Method: "GET", Path: "/api/v1/regions/{name}/report", Summary: "A region's sufficiency statement as a file (RCC of the region, admin): format=html, pdf or xlsx", Tag: "statement", Query: qReport},
	{Method: "GET", Path: "/api/v1/councils/{code}/outcomes", Summary: "A council's outcomes for children in care", Tag: "outcomes"},
	{Method: "GET", Path: "/api/v1/regions/{name}/outcomes", Summary: "A region's outcomes for children in care", Tag: "outcomes"},
	{Method: "GET", Path: "/api/v1/referrals", Summary: "The caller's council's referrals, newest first, a page at a time: {referrals, next}; ask for the next page with ?after= the next given (no next on the last page)", Tag: "placements", Query: qReferrals},
	{Method: "POST", Path: "/api/v1/referrals", Summary: "Create a referral (Placements Data Standard fields)", Tag: "placements", Body: "json", Status: 201},
	{Method: "GET", Path: "/api/v1/referrals/{ref}", Summary: "One referral with its offers", Tag: "placements"},
	{Method: "GET", Path: "/api/v1/referrals/{ref}/matches", Summary: "Homes matched to a referral, with reasons", Tag: "placements"},
	{Method: "POST", Path: "/api/v1/referrals/{ref}/send", Summary: "Send a pseudonymised referral to providers", Tag: "placements", Body: "json"},
	{Method: "POST", Path: "/api/v1/referrals/{ref}/offers/{offer}/accept", Summary: "Accept an offer (reserves the place)", Tag: "placements"},
	{Method: "POST", Path: "/api/v1/referrals/{ref}/withdraw", Summary: "Withdraw a referral", Tag: "placements"},
	{Method: "GET", Path: "/api/v1/provider/provisions", Summary: "The provider's own homes and fostering households", Tag: "provider"},
	{Method: "GET", Path: "/api/v1/provider/referrals", Summary: "Referrals sent to the provider", Tag: "provider"},
	{Method: "GET", Path: "/api/v1/provider/referrals/{ref}", Summary: "One referral sent to the provider", Tag: "provider"},
	{Method: "POST", Path: "/api/v1/provider/referrals/{ref}/offer", Summary: "Offer a place, with price and conditions", Tag: "provider", Body: "json"},
	{Method: "POST", Path: "/api/v1/provider/referrals/{ref}/decline", Summary: "Decline with a structured reason", Tag: "provider", Body: "json"},
	{Method: "PUT", Path: "/api/v1/provider/vacancies/{place}", Summary: "Update or confirm a vacancy", Tag: "provider", Body: "json"},
	{Method: "GET", Path: "/api/v1/scenarios", Summary: "Saved scenario runs the caller may see (name, version, scope, who ran it), newest first", Tag: "scenario"},
	{Method: "POST", Path: "/api/v1/scenarios", Summary: "Run and save a scenario file (JSON or YAML, as for 'sufficiency scenario'): the saved run with the file and the result per year, baseline and scenario with P10–P90", Tag: "scenario", Body: "json", Status: 201},
	{Method: "GET", Path: "/api/v1/scenarios/{id}", Summary: "One saved scenario run with its file and result, byte for byte as saved", Tag: "scenario"},
	{Method: "GET", Path: "/api/v1/site-homes", Summary: "Where to open K homes (or recruit foster carers) to bring the scope's children placed far away closest to home, with before/after distance, the share over 20 miles and an optimality bound", Tag: "scenario", Query: []apiParam{{"la", "Council (ONS code or name)"}, {"region", "Region, instead of la"}, {"homes", "Homes to open, 1–100"}, {"places", "Places a home (default 4)"}, {"for", "residential (default) or fostering"}, qAt}},
	{Method: "POST", Path: "/api/v1/regions/{name}/allocations", Summary: "Allocate the period's placement starts (or given referrals) to the region's vacancies jointly, every child not placed explained, with the competition-vs-cooperation comparison (JSON: from, to, objective policy|distance, keep_siblings, compare, referrals; RCC of the region)", Tag: "placements", Body: "json"},
	{Method: "GET", Path: "/api/v1/councils/{code}/outcomes", Summary: "Referral outcomes of a council: declines by reason, kind of home, need and provider; referrals no home could meet; days to place; placements over 20 miles and why (?from=, ?to= YYYY-MM-DD)", Tag: "placements"},
	{Method: "GET", Path: "/api/v1/regions/{name}/outcomes", Summary: "Referral outcomes of a region's councils (RCC of the region, admin; ?from=, ?to=)", Tag: "placements"},
	{Method: "GET", Path: "/api/v1/admin/users", Summary: "Users (admin)", Tag: "admin"},
	{Method: "POST", Path: "/api/v1/admin/users", Summary: "Add a user (admin)", Tag: "admin", Body: "json", Status: 201},
	{Method: "POST", Path: "/api/v1/admin/users/{name}/disable", Summary: "Disable a user (admin)", Tag: "admin"},
	{Method: "POST", Path: "/api/v1/admin/users/{name}/enable", Summary: "Enable a user (admin)", Tag: "admin"},
	{Method: "PUT", Path: "/api/v1/admin/users/{name}/password", Summary: "Set a user's password (admin)", Tag: "admin", Body: "json"},
	{Method: "DELETE", Path: "/api/v1/admin/sessions/{id}", Summary: "End a session (admin)", Tag: "admin"},
	{Method: "DELETE", Path: "/api/v1/admin/tokens/{id}", Summary: "Revoke an API token (admin)", Tag: "admin"},
}

var pathParam = regexp.MustCompile(`\{([a-z]+)\}`)

// pathParamText describes the path parameters by name.
var pathParamText = map[string]string{
	"code": "A council: ONS code (E06000001), DfE code (805) or name", "name": "An English region (North East) or a user's name",
	"id": "A numeric id", "ref": "A referral's reference", "offer": "An offer's id", "place": "A home's or household's id",
}

// errorResponses are the problem+json answers every operation may give.
var errorResponses = map[string]string{
	"400": "The request is not valid (a bad date, parameter or body); detail says what to change",
	"401": "Not signed in: send a session cookie or an API token (Authorization: Bearer ...)",
	"403": "The caller's role or scope does not allow this",
	"404": "No such council, region or record (or one the caller may not see)",
	"409": "The change clashes with one made meanwhile",
	"422": "The data were rejected",
	"429": "Too many requests: wait and try again",
	"500": "A fault on the server; it is logged",
}

// openAPI builds the OpenAPI 3.1 document.
func openAPI() map[string]any {
	paths := map[string]any{}
	for _, op := range apiOps {
		item, _ := paths[op.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[op.Path] = item
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(op.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "description": pathParamText[m[1]], "schema": map[string]any{"type": "string"}})
		}
		for _, q := range op.Query {
			params = append(params, map[string]any{"name": q.Name, "in": "query", "required": false, "description": q.Description, "schema": map[string]any{"type": "string"}})
		}
		st := op.Status
		if st == 0 {
			st = 200
		}
		schema := map[string]any{"type": "object"}
		if op.Response != "" {
			schema = map[string]any{"$ref": "#/components/schemas/" + op.Response}
		}
		responses := map[string]any{strconv.Itoa(st): map[string]any{"description": op.Summary, "content": map[string]any{"application/json": map[string]any{"schema": schema}}}}
		for code, text := range errorResponses {
			responses[code] = map[string]any{"description": text, "content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}}
		}
		o := map[string]any{"summary": op.Summary, "tags": []string{op.Tag}, "operationId": operationID(op), "responses": responses}
		if len(params) > 0 {
			o["parameters"] = params
		}
		switch op.Body {
		case "form":
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/x-www-form-urlencoded": map[string]any{"schema": map[string]any{"type": "object"}}}}
		case "json":
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}}
		}
		item[strings.ToLower(op.Method)] = o
	}
	str := map[string]any{"type": "string"}
	integer := map[string]any{"type": "integer"}
	boolean := map[string]any{"type": "boolean"}
	obj := func(props map[string]any, required ...string) map[string]any {
		m := map[string]any{"type": "object", "properties": props}
		if len(required) > 0 {
			m["required"] = required
		}
		return m
	}
	arr := func(items any) map[string]any { return map[string]any{"type": "array", "items": items} }
	ref := func(n string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + n} }
	schemas := map[string]any{
		"Problem": obj(map[string]any{"type": str, "title": str, "status": integer, "detail": str, "code": map[string]any{"type": "string", "description": "invalid, unusable, rejected, not_found, conflict, unauthorized, forbidden"}, "instance": str}, "type", "title", "status"),
		"Me":      obj(map[string]any{"name": str, "role": str, "council": str, "region": str, "scope": str}, "name", "role", "scope"),
		"Councils": obj(map[string]any{"councils": arr(obj(map[string]any{"code": str, "name": str, "region": str, "years": arr(integer),
			"children": map[string]any{"type": "string", "description": "a count, or c when suppressed"}, "episodes": str, "own": boolean}))}),
		"Table": obj(map[string]any{"title": str, "columns": map[string]any{"type": "array", "items": str, "description": "snake_case column keys, in order"},
			"labels": map[string]any{"type": "object", "additionalProperties": str}, "kinds": map[string]any{"type": "object", "additionalProperties": str},
			"rows": arr(map[string]any{"type": "object", "description": "keyed by the column keys; numbers as numbers, c for a suppressed count"}), "notes": arr(str)}, "title", "columns", "rows"),
		"Result": obj(map[string]any{"scope": str, "at": map[string]any{"type": "string", "format": "date"}, "suppressed": boolean, "tables": arr(ref("Table"))}, "scope", "at", "tables"),
		"Review": obj(map[string]any{"scope": str, "at": str, "reviewed": integer, "flagged": integer, "matching": integer,
			"items": arr(obj(map[string]any{"council": str, "child_id": str, "age": integer, "needs_tier": map[string]any{"type": []string{"integer", "null"}}, "placement": str,
				"placement_label": str, "placement_group": str, "provider": str, "urn": str, "since": str, "miles": map[string]any{"type": []string{"number", "null"}},
				"weekly_cost_pence": integer, "priority": map[string]any{"type": "number"}, "flags": arr(obj(map[string]any{"rule": str, "detail": str, "weight": map[string]any{"type": "number"}})),
				"step_down_to": str, "weekly_saving_pence": integer})),
			"rules": arr(obj(map[string]any{"id": str, "description": str, "evaluated": boolean, "why": str, "flagged": integer})), "tables": arr(ref("Table"))}),
		"ForecastSummary": obj(map[string]any{"id": integer, "saved": str, "by": str, "mode": str, "scope": str, "councils": arr(str), "origin": str, "years": integer, "sims": integer, "model_version": str, "href": str}),
		"Forecasts":       obj(map[string]any{"forecasts": arr(ref("ForecastSummary"))}),
	}
	var tags []any
	seen := map[string]bool{}
	for _, op := range apiOps {
		if !seen[op.Tag] {
			seen[op.Tag] = true
			tags = append(tags, map[string]any{"name": op.Tag})
		}
	}
	sort.Slice(tags, func(i, j int) bool {
		return tags[i].(map[string]any)["name"].(string) < tags[j].(map[string]any)["name"].(string)
	})
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{"title": "Sufficiency API", "version": "1",
			"description": "The data of every page of the sufficiency web app, as JSON with snake_case keys. Sign in for a session cookie, or send an API token as Authorization: Bearer TOKEN. Errors are RFC 9457 problem details. Numbers of children from 1 to 4 are \"c\" outside the caller's scope."},
		"servers": []any{map[string]any{"url": "/"}},
		"tags":    tags,
		"paths":   paths,
		"components": map[string]any{
			"schemas":         schemas,
			"securitySchemes": map[string]any{"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "sufficiency"}, "token": map[string]any{"type": "http", "scheme": "bearer"}},
		},
		"security": []any{map[string]any{"session": []string{}}, map[string]any{"token": []string{}}},
	}
}

// operationID names an operation: "get_councils_code_picture".
func operationID(op apiOp) string {
	p := strings.TrimPrefix(op.Path, "/api/v1/")
	p = strings.NewReplacer("{", "", "}", "", "/", "_").Replace(p)
	return strings.ToLower(op.Method) + "_" + p
}

// openAPIHandler serves the description (public: it holds no data).
func openAPIHandler(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, openAPI())
}
