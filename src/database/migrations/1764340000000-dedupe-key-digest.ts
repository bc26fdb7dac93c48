import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A decision's identity, (activity_definition_id, dedupe_key), is kept unique through a SHA-256
 * digest of the key instead of the key itself: a b-tree entry holds at most about 2.7 kB, and a
 * rule's key may render several thousand characters. The digest is 32 bytes whatever the key.
 *
 * `convert_to` is only STABLE (it depends on the encoding), so the digest is wrapped in a function
 * declared IMMUTABLE: a database's encoding is fixed when it is created, so for one database the
 * same text always gives the same bytes.
 */
export class DedupeKeyDigest1764340000000 implements MigrationInterface {
  name = 'DedupeKeyDigest1764340000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION dedupe_key_digest(key text) RETURNS bytea
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT sha256(convert_to(key, 'UTF8')) $$`);
    await queryRunner.query(`CREATE UNIQUE INDEX task_spawn_log_decision_digest ON task_spawn_log (activity_definition_id, dedupe_key_digest(dedupe_key))`);
    await queryRunner.query(`ALTER TABLE task_spawn_log DROP CONSTRAINT task_spawn_log_decision_key`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // The old constraint cannot index a key past a b-tree entry: say so instead of failing inside it.
    const [{ count }] = (await queryRunner.query(`SELECT count(*)::int AS count FROM task_spawn_log WHERE octet_length(dedupe_key) > 2000`)) as Array<{
      count: number;
    }>;
    if (count > 0) {
      throw new Error(
        `cannot revert DedupeKeyDigest1764340000000: ${count} decision(s) have a dedupe_key over 2000 bytes, which a unique b-tree constraint cannot hold`,
      );
    }
    await queryRunner.query(`ALTER TABLE task_spawn_log ADD CONSTRAINT task_spawn_log_decision_key UNIQUE (activity_definition_id, dedupe_key)`);
    await queryRunner.query(`DROP INDEX task_spawn_log_decision_digest`);
    await queryRunner.query(`DROP FUNCTION dedupe_key_digest(text)`);
  }
}
