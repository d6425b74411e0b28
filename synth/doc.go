// Package synth generates a synthetic region: for each real English council
// and collection year, a complete set of SSDA903 files in the DfE CSV layout
// (Header, Episodes, UASC, Missing, Reviews, OC2, OC3, AD1, PlacedAdoption,
// PrevPerm, SWEpisodes from 2023/24) with this product's PlacementCosts and
// Needs extension tables, plus the region's supply (package supply's file
// format) and a manifest. The children are invented; their aggregate
// behaviour follows each council's published figures. No real child-level
// data is used or produced.
//
// # Layout
//
//	OUT/manifest.json                       seed, councils, years, generator version, counts
//	OUT/<ONS code>/<year ending>/<table>.csv header.csv, episodes.csv, ..., costs.csv, needs.csv
//	OUT/supply/provisions.csv, vacancies.csv, residents.csv
//
// Generate writes into a temporary directory beside OUT and renames it at the
// end: a failed or cancelled run leaves nothing half-written.
//
// # Model
//
// Each council is simulated on its own, from a random source seeded by the
// seed and the council's code, so councils can run in parallel and the files
// are byte-identical for a seed whatever the scheduling. A council is held in
// memory only while it is generated and each council-year is streamed to its
// files, so memory does not grow with the region. Within a council, a year
// is simulated day by day (liveYear): the children starting care, every
// child's placement moves and other events, and the ends of care are applied
// in order of day, so a child looking for a place on a day finds the places
// the council's other children hold that day, and a place is free again
// from the day its child leaves.
//
//   - Stock and flows. The starting stock at 31 March of the year before the
//     first year is drawn from the council's published age and placement mix
//     (an age × placement table fitted to both margins by iterative
//     proportional fitting). Each year exactly the published number of
//     children start (new children, re-entries of children who went home,
//     sibling groups entering together, unaccompanied asylum-seeking
//     children at the council's UASC share; the ages of new children are
//     drawn so that all starters, with the brothers and sisters and
//     returning children they bring, follow the published ages), and
//     exactly as many leave as
//     make the stock at 31 March the published one: every period of care
//     has a planned end drawn at entry (short stays, returns home within a
//     year, one to three years, to 18, or adoption for the youngest), and
//     the year's planned ends are postponed or brought forward to meet the
//     figure; ends on the 18th birthday are never moved. Where the published
//     stock, starts and ceases do not add up, the mismatch is shared between
//     them in proportion to their size. Years the DfE did not publish are
//     interpolated (2018) and years after the last published one follow the
//     national series (see CouncilFromRefdata).
//   - Histories. Within a period of care: legal-status-only changes (police
//     protection or EPO to interim care order, interim to full care order,
//     s20 to care order, placement order on the adoption pathway), placement
//     moves with a per-child propensity (most children settle, one in ten
//     moves often) and a hazard that falls with time in the placement
//     (most moves in the first months; long-term foster placements rarely
//     end), so that about 10% of children have three or more placements in
//     a year and about 70% of children under 16 in care for 2½ years have
//     lived in the same placement for two (the DfE's long-term stability),
//     temporary placements that return to the same
//     placement, moving on to supported accommodation after 16, the
//     adoption pathway (decision, placement order, match, placed for
//     adoption, adopted), and the end of care with a reason that fits age,
//     legal status and placement (staying put or independent living at 18).
//     Care leavers are followed to 21 for OC3.
//   - Sibling groups. Three in ten children under 14 starting care (not
//     UASC) bring one to three brothers and sisters, who start the same day
//     from the same home and are mostly placed with them (same carers or
//     home, where the placement suits their ages); while they live together
//     the group moves as one, following its first child's moves to foster
//     carers or relatives (another member leads once the first leaves
//     care). Some groups part (a child placed for adoption, moving on at 16,
//     no room in a home), so that about 37% of children in sibling groups
//     live apart from at least one of them, as the Children's Commissioner
//     for England reports.
//   - Placements. A new placement's kind is drawn from the fitted age ×
//     placement table, weighted by needs (children's homes for complex
//     needs), and kept on the council's published mix at 31 March by a
//     feedback on each year's stock; the share in secure and children's
//     homes follows each year's published share (2021–2025: from 9.2% to
//     11.6% in England), the rest the 2021–2023 mix. Children's homes, secure homes,
//     residential schools and (from October 2023) supported accommodation
//     are real settings from the Ofsted register (URN, sector, provider
//     code); Ofsted withholds their postcodes, so each is placed in a
//     postcode district of its council drawn in proportion to population,
//     then a sector of that district (fixed by URN, whatever the seed).
//     The register lists only settings open at 31 March 2025, so children's
//     homes that closed before then are added (closedHomes: synthetic URNs
//     SYN00001…, to Ofsted's count of places each year); children are
//     placed in them only while they are open and move on to another home,
//     REASON_PLACE_CHANGE CLOSE, the day theirs closes; the supply's
//     closed.csv lists those the episodes name. A setting never holds more children than its registered places
//     (children's homes, secure homes, residential schools): each
//     setting's places are shared out between the councils within 150
//     miles before any council runs (allocatePlaces: by demand and
//     distance, in order of registration, from the reference data alone),
//     and each council keeps its children within its share; when no place
//     is free the child goes to another kind (supported accommodation from
//     16, agency fostering or an unregistered "other" placement).
//     Placements that are not in a registered setting carry the URN the
//     DfE's rule 218 asks of them (its reference validator wants one for
//     every placement but P1, P3, R1, R2, R5, T0–T4 and Z): agency
//     fostering and voluntary adoption agencies' placements the URN of a
//     real agency of the region on the register, family centres (R3) a real
//     residential family centre's, and the council's own foster carers and
//     its (or its regional agency's) adoptions XXXXXXX, as those services
//     are not registered with Ofsted (rule 242). Every social worker episode
//     has a reason (SW_REASON: TSPROC for the one that began with care).
//     Foster carers live in the council's sectors or, outside it, at a
//     distance drawn for the published share placed outside the council and
//     more than 20 miles away (corrected each year by what the stock shows).
//     Home postcodes are sectors of the council, weighted by postcodes.
//   - Needs and costs. Each child has a needs tier and the risk flags of the
//     Placements Data Standard v2, by age and tier; about half of children in
//     children's homes have no severe or complex needs (CCN/IMPOWER 2024).
//     Weekly costs are log-normal by kind, calibrated to the reference
//     figures (children's homes ≈ £6,100 a week in 2024, agency fostering
//     ≈ £900, in-house ≈ £450) and moved to other years by the published
//     growth rates. Children's homes are a mixture of standard placements,
//     never below a floor (10th percentile ≈ £3,900 in 2024, against PSSRU's
//     £4,153 and the CMA's £3,830), and specialist or solo placements that
//     give the tail above £10,000 (≈ 12%); see childrensHomePrice. Education
//     and health shares are split out where they usually are.
//   - Supply. Every registered setting in the region's councils with
//     generated occupancy (about 82%), residents and advertised vacancies,
//     and fostering households (in-house and agency, from the region's real
//     agencies) sized to the councils' fostered children with spare
//     capacity, each with approval ages, places, sibling capacity and
//     specialisms; weekly prices from the same cost model.
//
// Check reads a generated region back from its files and compares it, council
// by council, with the published figures (stock, starts and ceases per year;
// placement mix) and region-wide measures (moves, locality, needs, costs,
// reasons for leaving care).
package synth
