package web

import (
	"net/http"

	"sufficiency/workflow"
)

// routes is the whole route table. Pages answer HTML and send anonymous
// users to /login; /api/v1 answers JSON (problem+json on error) and 401 to
// anonymous callers. Every route but /healthz, /static and /login needs a
// signed-in user; each handler then checks the user's scope.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	sess := &sessionHandlers{auth: s.auth, render: s.render, cookie: s.cookie(), trusted: s.cfg.TrustedProxies}
	pages := &pageHandlers{data: s.analyst(), render: s.render}
	api := &apiHandlers{data: s.analyst()}
	mux.HandleFunc("GET /healthz", health)
	mux.HandleFunc("GET /metrics", s.serveMetrics) // aggregate numbers only (web/metrics.go)
	mux.Handle("GET /static/", staticHandler())
	mux.HandleFunc("/", s.notFound)

	mux.HandleFunc("GET /login", sess.loginForm)
	mux.HandleFunc("POST /login", sess.login)
	mux.HandleFunc("POST /logout", sess.logout)

	page := func(h http.HandlerFunc) http.Handler { return s.requireUser(h, false) }
	mux.Handle("GET /{$}", page(pages.dashboard))
	mux.Handle("GET /councils/{code}", page(s.heavy(pages.council)))
	mux.Handle("GET /councils/{code}/review", page(s.heavy(pages.review)))
	mux.Handle("GET /regions/{name}", page(s.heavy(pages.region)))
	mux.Handle("GET /regions/{name}/review", page(s.heavy(pages.regionReview)))
	mux.Handle("GET /england", page(s.heavy(pages.england)))
	mux.Handle("GET /go", page(pages.goTo))
	mux.Handle("GET /imports", page(pages.importsPage))
	mux.Handle("POST /imports", page(s.heavy(pages.upload)))
	mux.Handle("GET /imports/{token}", page(s.heavy(pages.checkPage)))
	mux.Handle("POST /imports/{token}", page(s.heavy(pages.decide)))
	mux.Handle("GET /forecasts", page(pages.forecastsPage))
	mux.Handle("POST /forecasts", page(s.heavy(pages.forecastsPage)))
	mux.Handle("GET /forecasts/{id}", page(pages.forecastPage))
	mux.Handle("GET /market", page(s.heavy(pages.market)))
	mux.Handle("GET /audit", page(s.adminOnly(pages.audit)))
	reports := s.reportHandlers()
	mux.Handle("GET /councils/{code}/report", page(s.heavy(reports.page)))
	mux.Handle("POST /councils/{code}/report", page(s.heavy(reports.page)))
	mux.Handle("GET /regions/{name}/report", page(s.heavy(reports.page)))
	mux.Handle("POST /regions/{name}/report", page(s.heavy(reports.page)))
	sp := s.scenarioPages() // scenarios (web/scenario.go)
	mux.Handle("GET /scenarios", page(sp.page))
	mux.Handle("POST /scenarios", page(s.heavy(sp.post)))
	mux.Handle("GET /scenarios/{id}", page(sp.show))
	pl := s.placements() // placements: referrals, provider portal (web/referrals.go, web/provider.go)
	mux.Handle("GET /referrals", page(pl.referralsPage))
	mux.Handle("GET /referrals/new", page(pl.newReferralPage))
	mux.Handle("POST /referrals", page(pl.postReferral))
	mux.Handle("GET /referrals/{ref}", page(pl.referralPage))
	mux.Handle("GET /referrals/{ref}/edit", page(pl.editReferralPage))
	mux.Handle("POST /referrals/{ref}", page(pl.postReferral))
	mux.Handle("POST /referrals/{ref}/send", page(pl.sendPage))
	mux.Handle("POST /referrals/{ref}/offers/{offer}/accept", page(pl.acceptPage))
	mux.Handle("POST /referrals/{ref}/withdraw", page(pl.withdrawPage))
	mux.Handle("GET /provider", page(pl.providerHome))
	mux.Handle("POST /provider/vacancies/{place}", page(pl.vacancyPage))
	mux.Handle("GET /provider/referrals/{ref}", page(pl.providerReferralPage))
	mux.Handle("POST /provider/referrals/{ref}/offer", page(pl.answerPage(workflow.ActionOffer)))
	mux.Handle("POST /provider/referrals/{ref}/decline", page(pl.answerPage(workflow.ActionDecline)))
	mux.Handle("GET /regions/{name}/allocations", page(pl.allocationForm))
	mux.Handle("GET /councils/{code}/outcomes", page(pl.outcomesPage))
	mux.Handle("GET /regions/{name}/outcomes", page(pl.outcomesPage))
	mux.Handle("POST /regions/{name}/allocations", page(pl.allocationRun))
	adm := s.admin() // user administration (web/admin.go)
	mux.Handle("GET /admin/users", page(s.adminOnly(adm.usersPage)))
	mux.Handle("POST /admin/users", page(s.adminOnly(adm.createPage)))
	mux.Handle("POST /admin/users/{name}/disable", page(s.adminOnly(adm.disablePage(true))))
	mux.Handle("POST /admin/users/{name}/enable", page(s.adminOnly(adm.disablePage(false))))
	mux.Handle("POST /admin/users/{name}/password", page(s.adminOnly(adm.passwordPage)))
	mux.Handle("POST /admin/sessions/{id}/end", page(s.adminOnly(adm.endSessionPage)))
	mux.Handle("POST /admin/tokens/{id}/revoke", page(s.adminOnly(adm.revokeTokenPage)))

	apiRoute := func(h http.HandlerFunc) http.Handler { return s.requireUser(h, true) }
	mux.HandleFunc("GET /api/openapi.json", openAPIHandler) // web/openapi.go; a test keeps it in step with these routes
	mux.Handle("GET /api/v1/me", apiRoute(api.me))
	mux.Handle("GET /api/v1/councils", apiRoute(api.councils))
	mux.Handle("GET /api/v1/councils/{code}/picture", apiRoute(s.heavy(api.councilPicture)))
	mux.Handle("GET /api/v1/councils/{code}/review", apiRoute(s.heavy(api.review)))
	mux.Handle("GET /api/v1/regions/{name}/picture", apiRoute(s.heavy(api.regionPicture)))
	mux.Handle("GET /api/v1/regions/{name}/review", apiRoute(s.heavy(api.regionReview)))
	mux.Handle("GET /api/v1/england/picture", apiRoute(s.heavy(api.englandPicture)))
	mux.Handle("GET /api/v1/market", apiRoute(s.heavy(api.market)))
	mux.Handle("GET /api/v1/forecasts", apiRoute(api.forecasts))
	mux.Handle("POST /api/v1/forecasts", apiRoute(s.heavy(api.runForecast)))
	mux.Handle("GET /api/v1/forecasts/{id}", apiRoute(api.forecast))
	mux.Handle("GET /api/v1/audit", apiRoute(s.adminOnly(api.audit)))
	mux.Handle("GET /api/v1/councils/{code}/report", apiRoute(s.heavy(reports.api)))
	mux.Handle("GET /api/v1/regions/{name}/report", apiRoute(s.heavy(reports.api)))
	mux.Handle("GET /api/v1/referrals", apiRoute(pl.apiReferrals))
	mux.Handle("POST /api/v1/referrals", apiRoute(pl.apiCreateReferral))
	mux.Handle("GET /api/v1/referrals/{ref}", apiRoute(pl.apiReferral))
	mux.Handle("GET /api/v1/referrals/{ref}/matches", apiRoute(s.heavy(pl.apiMatches)))
	mux.Handle("POST /api/v1/referrals/{ref}/send", apiRoute(pl.apiSend))
	mux.Handle("POST /api/v1/referrals/{ref}/offers/{offer}/accept", apiRoute(pl.apiAccept))
	mux.Handle("POST /api/v1/referrals/{ref}/withdraw", apiRoute(pl.apiWithdraw))
	mux.Handle("GET /api/v1/provider/provisions", apiRoute(pl.apiProviderHomes))
	mux.Handle("GET /api/v1/provider/referrals", apiRoute(pl.apiProviderReferrals))
	mux.Handle("GET /api/v1/provider/referrals/{ref}", apiRoute(pl.apiProviderReferral))
	mux.Handle("POST /api/v1/provider/referrals/{ref}/offer", apiRoute(pl.apiOffer))
	mux.Handle("POST /api/v1/provider/referrals/{ref}/decline", apiRoute(pl.apiDecline))
	mux.Handle("PUT /api/v1/provider/vacancies/{place}", apiRoute(pl.apiVacancy))
	mux.Handle("GET /api/v1/scenarios", apiRoute(sp.apiList))
	mux.Handle("POST /api/v1/scenarios", apiRoute(s.heavy(sp.apiRun)))
	mux.Handle("GET /api/v1/scenarios/{id}", apiRoute(sp.apiShow))
	mux.Handle("POST /api/v1/regions/{name}/allocations", apiRoute(s.heavy(pl.apiAllocate)))
	mux.Handle("GET /api/v1/councils/{code}/outcomes", apiRoute(pl.apiOutcomes))
	mux.Handle("GET /api/v1/regions/{name}/outcomes", apiRoute(pl.apiOutcomes))
	mux.Handle("GET /api/v1/admin/users", apiRoute(s.adminOnly(adm.apiUsers)))
	mux.Handle("POST /api/v1/admin/users", apiRoute(s.adminOnly(adm.apiCreateUser)))
	mux.Handle("POST /api/v1/admin/users/{name}/disable", apiRoute(s.adminOnly(adm.apiDisable(true))))
	mux.Handle("POST /api/v1/admin/users/{name}/enable", apiRoute(s.adminOnly(adm.apiDisable(false))))
	mux.Handle("PUT /api/v1/admin/users/{name}/password", apiRoute(s.adminOnly(adm.apiPassword)))
	mux.Handle("DELETE /api/v1/admin/sessions/{id}", apiRoute(s.adminOnly(adm.apiEndSession)))
	mux.Handle("DELETE /api/v1/admin/tokens/{id}", apiRoute(s.adminOnly(adm.apiRevokeToken)))
	mux.Handle("/api/", apiRoute(apiNotFound))

	// Outermost first: log, recover, headers, size limit, cross-origin check.
	var h http.Handler = mux
	h = http.NewCrossOriginProtection().Handler(h)
	h = limitBody(h)
	h = securityHeaders(h)
	h = s.recoverPanics(h)
	h = s.logRequests(h)
	h = s.countRequests(h)
	return h
}
