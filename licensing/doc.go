// Package licensing owns the rules of the planning and licensing process:
// calls for plans and who is late; plan versions and the difference between
// them; line review (approve in full or reduced, refuse, bulk decisions,
// compliance decisions, assessed HS codes), where a prohibited line can
// never be approved; permits, their numbers, balances and state machine;
// caps depleted across every issued permit; border crossings and their
// history, and when a permit is usable. It is pure: Service carries out the
// use cases over a Store interface, with an injectable clock, and package
// store implements the Store on SQLite and PostgreSQL.
//
// Each resource's file holds its rules and its use cases: call.go, plan.go
// (planview.go: how a plan is shown), review.go, permit.go, crossing.go;
// who may do what is in permissions.go and authority.go, and service.go
// holds only the Service, its Config and what every use case shares.
package licensing
