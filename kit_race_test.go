//go:build race

package razorpay

// raceEnabled reports a -race build, whose allocations differ.
const raceEnabled = true
