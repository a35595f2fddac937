-- The community tree only grows: a node is never moved to another parent, never changes kind and
-- is never deleted (history — ballots, records, rosters — points at it). Access decisions read a
-- compound's chain of ancestors on every request and keep it once read (src/lib/server/access.ts);
-- these triggers make that safe by refusing any change that would alter a chain.
CREATE TRIGGER org_nodes_parent_fixed BEFORE UPDATE OF parent_id, kind ON org_nodes
WHEN OLD.parent_id IS NOT NEW.parent_id OR OLD.kind IS NOT NEW.kind
BEGIN
	SELECT RAISE(ABORT, 'org_nodes: parent and kind are fixed once a node exists');
END;
--> statement-breakpoint
CREATE TRIGGER org_nodes_never_deleted BEFORE DELETE ON org_nodes
BEGIN
	SELECT RAISE(ABORT, 'org_nodes: a node of the community tree is never deleted');
END;
