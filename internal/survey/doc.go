// Package survey asks customers how it went — NPS after a delivery, CSAT
// after a support conversation — through one-click score links, records
// each answer once per survey and customer, and sums the answers up.
package survey
