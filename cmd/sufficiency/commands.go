package main

// commands is the whole command table, in the order "help" lists them.
// Each verb lives in its own file (validate.go, import.go, ...).
func commands() []command {
	return []command{
		{Name: "demo", Summary: "generate a synthetic region, import it and show its sufficiency picture (start here)", Run: runDemo},
		{Name: "version", Summary: "print the version", Run: runVersion},
		{Name: "validate", Summary: "check SSDA903 files against the DfE validation rules of their year", Run: runValidate},
		{Name: "import", Summary: "validate SSDA903 files and import them into the database, all or nothing", Run: runImport},
		{Name: "children", Summary: "list the children loaded for a council (text, JSON or CSV)", Run: runChildren},
		{Name: "status", Summary: "show what is loaded: councils, years, children, episodes, imports", Run: runStatus},
		{Name: "forecast", Summary: "forecast children in care (imported data or a published series), with intervals", Run: runForecast},
		{Name: "scenario", Summary: "run Prevent, Supply and Better-utilise scenarios beside the baseline: children, places, distance, spend, payback", Run: runScenario},
		{Name: "site-homes", Summary: "choose where to open K homes to bring children placed far away closer, with an optimality bound", Run: runSiteHomes},
		{Name: "backtest", Summary: "score forecasts on past origins (published series or imported children) against naive baselines", Run: runBacktest},
		{Name: "synth", Summary: "generate a synthetic region of SSDA903 files and supply calibrated to published figures", Run: runSynth},
		{Name: "picture", Summary: "the sufficiency picture of a council or region at a date, beside published figures", Run: runPicture},
		{Name: "review", Summary: "the needs-led review worklist of current placements, with priorities and savings", Run: runReview},
		{Name: "report", Summary: "a publishable sufficiency statement of a council or region: HTML, PDF or Excel", Run: runReport},
		{Name: "market", Summary: "market concentration, ownership, ratings, prices and provider-failure contingency", Run: runMarket},
		{Name: "match", Summary: "rank the eligible placements for one referral, with every exclusion explained", Run: runMatch},
		{Name: "allocate", Summary: "allocate many children to many places at once: most placed, then least cost", Run: runAllocate},
		{Name: "simulate-market", Summary: "compare first-come-first-served searching with daily and weekly joint allocation", Run: runSimulateMarket},
		{Name: "import-supply", Summary: "load a supply file set (homes, fostering households, vacancies) into the database", Run: runImportSupply},
		{Name: "referral", Summary: "send a referral, pseudonymised, to its shortlisted providers only; or cancel it", Run: runReferral},
		{Name: "serve", Summary: "serve the web app and JSON API, with sign-in by role and an audit log", Run: runServe},
		{Name: "user", Summary: "add web users (council, RCC, provider, admin), list them, make API tokens", Run: runUser},
		{Name: "offer", Summary: "providers offer or decline with a reason; the council accepts one, reserving the place", Run: runOffer},
		{Name: "backup", Summary: "write a consistent copy of the SQLite database while it is in use", Run: runBackup},
		{Name: "restore", Summary: "replace the SQLite database with a backup, checked first", Run: runRestore},
		{Name: "erase", Summary: "erase one child's records on request, recorded in the audit log", Run: runErase},
		{Name: "migrate", Summary: "bring the database schema up to date, or list migrations (migrate status)", Run: runMigrate},
	}
}
