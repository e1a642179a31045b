// Package review asks for, collects, moderates and publishes product
// reviews, each verified by the order it came from.
package review
