// Package insider is the "first to know" club: projects (a beta test,
// early access, a pre-order or crowdfunding of a new product) customers
// sign up for from their page or a message, each with a goal, under a
// consent of its own.
package insider
