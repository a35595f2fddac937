-- A row of draft_doc_updates may hold several Yjs updates of one sender (one row per commit group);
-- every existing row holds one.
ALTER TABLE `draft_doc_updates` ADD `update_count` integer DEFAULT 1 NOT NULL;