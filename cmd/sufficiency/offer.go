package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"sufficiency/analysis"
	"sufficiency/auth"
	"sufficiency/care"
	"sufficiency/match"
	"sufficiency/offers"
	"sufficiency/refdata"
	"sufficiency/store"
	"sufficiency/workflow"
)

// The provider offers workflow (package offers): "referral send|cancel" for
// the council, "offer make|decline" for providers, "offer accept" for the
// council, "offer list" and "offer declines" for everyone.

// runReferral dispatches "referral send" and "referral cancel".
func runReferral(ctx context.Context, env *Env, args []string) error {
	return runSubcommand(ctx, env, "referral", helpText("referral"), args, []subcommand{{"send", runReferralSend}, {"cancel", runReferralCancel}})
}

// runOffer dispatches "offer make|decline|accept|list|declines|outcomes".
func runOffer(ctx context.Context, env *Env, args []string) error {
	respond := func(verb string) func(context.Context, *Env, []string) error {
		return func(ctx context.Context, env *Env, args []string) error { return runOfferRespond(ctx, env, verb, args) }
	}
	return runSubcommand(ctx, env, "offer", helpText("offer"), args, []subcommand{{"make", respond("make")}, {"decline", respond("decline")},
		{"accept", runOfferAccept}, {"list", runOfferList}, {"declines", runOfferDeclines}, {"outcomes", runOfferOutcomes}})
}

// subcommand is one subcommand of a verb ("offer make").
type subcommand struct {
	name string
	run  func(ctx context.Context, env *Env, args []string) error
}

// runSubcommand runs the subcommand args[0] names; with none, or help, it
// prints the verb's synopsis (EINVALID unless help was asked for).
func runSubcommand(ctx context.Context, env *Env, verb, synopsis string, args []string, subs []subcommand) error {
	sub, names := "", make([]string, len(subs))
	if len(args) > 0 {
		sub = args[0]
	}
	for i, c := range subs {
		if c.name == sub {
			return c.run(ctx, env, args[1:])
		}
		names[i] = c.name
	}
	fmt.Fprintf(env.Stderr, "Usage: sufficiency %s %s\n", verb, synopsis)
	if sub == "-h" || sub == "--help" || sub == "help" {
		return nil
	}
	list := strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
	return care.Errorf(care.EINVALID, "%s: say what to do: %s (got %q)", verb, list, sub)
}

// openOffers opens the database that keeps the offers workflow: a SQLite
// file or a PostgreSQL server (postgres:// URL). A SQLite file is never
// created here: the supply must have been loaded first.
func openOffers(ctx context.Context, env *Env, flag string) (Store, error) {
	path := dbPath(env, flag)
	st, err := openStore(ctx, env, path, mustExist)
	if err != nil && isPostgresURL(path) && care.ErrorCode(err) == care.EUNUSABLE {
		return nil, care.WrapError(care.EUNUSABLE, err, "the offers workflow needs a reachable PostgreSQL server at %s, or a SQLite file (--db FILE)", dbName(path))
	}
	if err != nil {
		return nil, err
	}
	return st, nil
}

func offerRequired(verb, name, value, what string) error {
	if strings.TrimSpace(value) == "" {
		return care.Errorf(care.EINVALID, "%s: --%s is required: %s", verb, name, what)
	}
	return nil
}

func runReferralSend(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "referral send", "--referral FILE.json [--top 5 | --provisions ID,ID] [--db FILE|URL] [--as USER] [--format text|json]")
	refPath := fs.String("referral", "", "the referral, a JSON object (see match/testdata/referral.json)")
	top := fs.Int("top", offers.DefaultTop, "send to the best N eligible provisions (at most 30)")
	chosen := fs.String("provisions", "", "send to these eligible provisions instead, comma-separated ids")
	db := dbFlag(fs)
	as := fs.String("as", "", "who sends the referral (a user: default $SUFFICIENCY_TOKEN's user, else $SUFFICIENCY_ACTOR, else the OS user)")
	policyPath := fs.String("policy", "", "policy file overriding the default ranking weights")
	at := fs.String("at", "", "date of the search (default: the referral's start date)")
	format := fs.String("format", "text", "output format: text or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkFormat("referral send", *format, "text", "json"); err != nil {
		return err
	}
	if err := offerRequired("referral send", "referral", *refPath, "give the referral as a JSON file"); err != nil {
		return err
	}
	if *top < 0 || *top > offers.MaxShortlist {
		return care.Errorf(care.EINVALID, "--top %d: send a referral to 1–%d providers; sending to all of them is what this workflow replaces", *top, offers.MaxShortlist)
	}
	ref, err := readReferralFile("referral send", *refPath)
	if err != nil {
		return err
	}
	day, err := parseDate("at", *at)
	if err != nil {
		return err
	}
	pol, err := loadPolicy(*policyPath)
	if err != nil {
		return err
	}
	st, err := openOffers(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	who, err := actAs(ctx, env, st, *as, auth.ActReferralSend, auth.Resource{Council: ref.Council, What: "referral " + ref.ID})
	if err != nil {
		return err
	}
	provs, vacs, err := analysis.StoredSupply(ctx, st)
	if err != nil {
		return hint(err, care.ENOTFOUND, "load it first (sufficiency import-supply DIR)")
	}
	ix, err := match.NewIndex(provs, vacs, pol, nil)
	if err != nil {
		return err
	}
	opt := offers.SendOptions{ShortlistOptions: offers.ShortlistOptions{Top: *top, At: day, Now: searchClock(env, day)},
		Actor: who.Name, Today: env.Now()}
	if *chosen != "" {
		opt.Chosen = strings.Split(*chosen, ",")
	}
	sent, err := offers.Send(ctx, st, ix, ref, opt)
	if *chosen != "" {
		err = hint(err, care.EINVALID, "\"sufficiency match --referral FILE\" lists the eligible ones")
	}
	if err != nil {
		return hint(err, care.ENOTFOUND, "run \"sufficiency match --referral FILE\" to see every reason")
	}
	if *format == "json" {
		return writeJSON(env.Stdout, sent)
	}
	r := sent.Referral
	offers.WriteSentText(env.Stdout, ref.ID, sent)
	fmt.Fprintf(env.Stdout, "\nProviders answer with: sufficiency offer make|decline --referral %s --provision ID\n", r.Reference)
	return nil
}

// referralVerb is a verb that acts on one sent referral: its --referral,
// --provision (when it takes one), --db and --as flags, checked and the
// referral read in one place.
type referralVerb struct {
	name              string
	fs                *flag.FlagSet
	ref, prov, db, as *string
}

// newReferralVerb declares the flags; with provUsage "" the verb takes no
// --provision. who says who acts, for --as.
func newReferralVerb(env *Env, name, synopsis, provUsage, who string) *referralVerb {
	v := &referralVerb{name: name, fs: newFlagSet(env, name, synopsis)}
	v.ref = v.fs.String("referral", "", "the referral's reference (R-XXXX-XXXX)")
	if provUsage != "" {
		v.prov = v.fs.String("provision", "", provUsage)
	}
	v.db = dbFlag(v.fs)
	v.as = v.fs.String("as", "", who+" (a user: default $SUFFICIENCY_TOKEN's user, else $SUFFICIENCY_ACTOR, else the OS user)")
	return v
}

// parse parses args and requires --referral (and --provision); the hints
// say what to give.
func (v *referralVerb) parse(args []string, refHint, provHint string) error {
	if err := parseFlags(v.fs, args); err != nil {
		return err
	}
	if err := offerRequired(v.name, "referral", *v.ref, refHint); err != nil {
		return err
	}
	if v.prov != nil {
		return offerRequired(v.name, "provision", *v.prov, provHint)
	}
	return nil
}

// open opens the workflow's database and reads the referral.
func (v *referralVerb) open(ctx context.Context, env *Env) (Store, workflow.Sent, error) {
	st, err := openOffers(ctx, env, *v.db)
	if err != nil {
		return nil, workflow.Sent{}, err
	}
	sent, err := workflow.Referral(ctx, st, *v.ref)
	if err != nil {
		st.Close()
		return nil, workflow.Sent{}, hint(err, care.ENOTFOUND, "\"sufficiency offer list\" shows them all")
	}
	return st, sent, nil
}

func runReferralCancel(ctx context.Context, env *Env, args []string) error {
	v := newReferralVerb(env, "referral cancel", "--referral REF [--note TEXT] [--db FILE|URL] [--as USER]", "", "who cancels")
	note := v.fs.String("note", "", "why it is cancelled (kept with the referral)")
	if err := v.parse(args, "give the reference printed by \"referral send\"", ""); err != nil {
		return err
	}
	st, sent, err := v.open(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	ref := v.ref
	who, err := actAs(ctx, env, st, *v.as, auth.ActReferralCancel, auth.Resource{Council: sent.Referral.Council, What: "referral " + *ref})
	if err != nil {
		return err
	}
	if err := st.Cancel(ctx, *ref, *note, who.Name); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Referral %s cancelled; open offers withdrawn and any reserved place given back.\n", *ref)
	return nil
}

func runOfferRespond(ctx context.Context, env *Env, verb string, args []string) error {
	v := newReferralVerb(env, "offer "+verb, "--referral REF --provision ID [--reason CODE --note TEXT | --price POUNDS] [--as USER] [--db FILE|URL]",
		"the id of the provision answering", "who answers for the provider")
	fs, ref, prov := v.fs, v.ref, v.prov
	reason := fs.String("reason", "", "decline: no_vacancy, outside_statement_of_purpose, impact_on_current_group, staffing, location, price, risk or other")
	note := fs.String("note", "", "decline with reason other: why, in a few words (no names)")
	price := fs.Float64("price", 0, "offer: weekly price in pounds, if not the usual price")
	if err := v.parse(args, "give the reference the referral was sent under", "give the id of your provision on the shortlist"); err != nil {
		return err
	}
	if *price < 0 || *price > 100000 {
		return care.Errorf(care.EINVALID, "offer %s: --price %v: give the weekly price in pounds (0–100000)", verb, *price)
	}
	var r workflow.Reason
	if verb == "decline" {
		var err error
		if r, err = workflow.ParseReason(*reason); err != nil {
			return care.Errorf(care.EINVALID, "offer decline: --reason: %s", care.ErrorMessage(err))
		}
		if r == workflow.ReasonOther && strings.TrimSpace(*note) == "" {
			return care.Errorf(care.EINVALID, "offer decline: --reason other needs --note TEXT saying why, in a few words (no names; at most %d characters)", workflow.MaxNote)
		}
		if err := workflow.CheckDecline(r, *note); err != nil {
			return care.Errorf(care.EINVALID, "offer decline: %s", care.ErrorMessage(err))
		}
	} else if *reason != "" || *note != "" {
		return care.Errorf(care.EINVALID, "offer make: --reason and --note are for declines; use \"offer decline\"")
	}
	st, sent, err := v.open(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	actor := store.ActorFrom(ctx) // the run's actor, unless a user answers for the provider
	// A provision not on the shortlist is refused by the store, whoever asks.
	if p := sent.ProviderOf(*prov); p != "" {
		who, err := actAs(ctx, env, st, *v.as, auth.ActProviderRespond, auth.Resource{Provider: p, What: "referral " + *ref + " for " + *prov})
		if err != nil {
			return err
		}
		actor = who.Name
	}
	var o workflow.Offer
	if verb == "decline" {
		o, err = offers.Decline(ctx, st, *ref, *prov, r, *note, actor)
	} else {
		o, err = offers.Make(ctx, st, *ref, *prov, care.FromPounds(*price), actor)
	}
	if err != nil {
		return hint(err, care.ECONFLICT, lookAgain(*ref))
	}
	fmt.Fprintf(env.Stdout, "%s (%s) for referral %s: %s.\n", o.ProvisionID, o.Name, o.Referral, o.Describe())
	return nil
}

func runOfferAccept(ctx context.Context, env *Env, args []string) error {
	v := newReferralVerb(env, "offer accept", "--referral REF --provision ID [--as USER] [--db FILE|URL]",
		"the provision whose offer is accepted", "who accepts for the council")
	if err := v.parse(args, "give the referral's reference", "give the provision whose offer you accept"); err != nil {
		return err
	}
	st, sent, err := v.open(ctx, env)
	if err != nil {
		return err
	}
	defer st.Close()
	ref, prov := v.ref, v.prov
	who, err := actAs(ctx, env, st, *v.as, auth.ActReferralAccept, auth.Resource{Council: sent.Referral.Council, What: "referral " + *ref})
	if err != nil {
		return err
	}
	res, err := st.Accept(ctx, *ref, *prov, who.Name)
	if err != nil {
		return hint(err, care.ECONFLICT, lookAgain(*ref))
	}
	fmt.Fprintf(env.Stdout, "Accepted: referral %s is placed with %s; %d place(s) of vacancy %s reserved (%d left). Other open offers withdrawn.\n",
		res.Referral, res.ProvisionID, res.Places, res.VacancyID, res.PlacesLeft)
	return nil
}

func runOfferList(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "offer list", "[--referral REF] [--council CODE] [--provision ID] [--status open|placed|cancelled] [--format text|json] [--db FILE|URL]")
	ref := fs.String("referral", "", "one referral")
	council := fs.String("council", "", "referrals of one placing council")
	prov := fs.String("provision", "", "referrals sent to one provision")
	status := fs.String("status", "", "open, placed or cancelled")
	format := fs.String("format", "text", "output format: text or json")
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkFormat("offer list", *format, "text", "json"); err != nil {
		return err
	}
	switch workflow.ReferralStatus(*status) {
	case "", workflow.ReferralOpen, workflow.ReferralPlaced, workflow.ReferralCancelled:
	default:
		return care.Errorf(care.EINVALID, "offer list: --status %q: use open, placed or cancelled", *status)
	}
	st, err := openOffers(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	councilFilter := ""
	if strings.TrimSpace(*council) != "" {
		code, err := refdata.CouncilCode(*council)
		if err != nil {
			return err
		}
		councilFilter = code
	}
	list, err := st.Referrals(ctx, workflow.Filter{Reference: *ref, Council: councilFilter, ProvisionID: *prov,
		Status: workflow.ReferralStatus(*status)})
	if err != nil {
		return err
	}
	if len(list) == 0 && *format == "text" {
		fmt.Fprintln(env.Stdout, "No referrals sent yet (sufficiency referral send --referral FILE.json).")
		return nil
	}
	return offers.WriteReferrals(env.Stdout, *format, list)
}

func runOfferDeclines(ctx context.Context, env *Env, args []string) error {
	fs := newFlagSet(env, "offer declines", "[--from YYYY-MM-DD] [--to YYYY-MM-DD] [--council CODE] [--provider NAME] [--format text|json|csv] [--db FILE|URL]")
	from := fs.String("from", "", "first day counted")
	to := fs.String("to", "", "first day not counted")
	council := fs.String("council", "", "declines of one placing council's referrals")
	provider := fs.String("provider", "", "declines by one provider (owner organisation)")
	format := fs.String("format", "text", "output format: text, json or csv (council,provider,reason,declines)")
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkFormat("offer declines", *format, "text", "json", "csv"); err != nil {
		return err
	}
	councilFilter := ""
	if strings.TrimSpace(*council) != "" {
		code, err := refdata.CouncilCode(*council)
		if err != nil {
			return err
		}
		councilFilter = code
	}
	f := workflow.DeclineFilter{Council: councilFilter, Provider: *provider}
	var err error
	if f.From, err = parseDate("from", *from); err != nil {
		return err
	}
	if f.To, err = parseDate("to", *to); err != nil {
		return err
	}
	st, err := openOffers(ctx, env, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := offers.Declines(ctx, st, f)
	if err != nil {
		return hint(err, care.EINVALID, "give --from before --to")
	}
	return offers.WriteDeclines(env.Stdout, *format, rep)
}

// lookAgain is the CLI's advice on a conflict: the referral as it is now.
func lookAgain(ref string) string {
	return "\"sufficiency offer list --referral " + ref + "\" shows it as it is now"
}
