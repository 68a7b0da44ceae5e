-- Each insert into and delete from the hash bank is announced on channel hash_bank with "INSERT id" or "DELETE id", so
-- every portal instance keeps its in-memory matching index in step. EF Core does not model functions or triggers.
CREATE FUNCTION hash_bank_notify() RETURNS trigger LANGUAGE plpgsql AS $notify$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('hash_bank', 'DELETE ' || OLD."Id");
        RETURN OLD;
    END IF;
    PERFORM pg_notify('hash_bank', 'INSERT ' || NEW."Id");
    RETURN NEW;
END
$notify$;

CREATE TRIGGER "HashBankEntries_notify" AFTER INSERT OR DELETE ON "HashBankEntries"
    FOR EACH ROW EXECUTE FUNCTION hash_bank_notify();
