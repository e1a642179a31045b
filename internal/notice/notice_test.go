package notice

import "testing"

func TestBoard(t *testing.T) {
	t.Parallel()
	b := NewBoard(nil)
	b.Add(Notice{Key: "a", Message: "m1"})
	b.Add(Notice{Key: "b", Message: "m2"})
	b.Add(Notice{Key: "a", Message: "m3"})
	got := b.List()
	if len(got) != 2 || got[0].Key != "a" || got[0].Message != "m3" || got[1].Key != "b" {
		t.Fatalf("List() = %+v, want a (m3), b", got)
	}
	b.Clear("a")
	if got := b.List(); len(got) != 1 || got[0].Key != "b" {
		t.Fatalf("after Clear(a): %+v", got)
	}
	var nilBoard *Board
	if nilBoard.List() != nil {
		t.Fatal("a nil board lists nothing")
	}
}
