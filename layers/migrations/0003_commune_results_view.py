"""The per-commune results of closed proposals as a view (``layers.models.CommuneResult``).

One row per commune of a decided proposal's ``by_commune`` (frozen by its resolution; empty for a
space of one commune), joined to the current commune of that code for its boundary. A commune
the resolution hid ("too few votes") keeps its boundary and no figure. ``xmin`` is the last write
to the proposal or its resolution, so conditional GET (``layers.freshness``) sees a change.
"""

from django.db import migrations, models

FORWARD = """
CREATE VIEW layers_communeresult AS
SELECT p.id::bigint * 100000000 + c.id AS id,
       p.id AS proposal_id,
       p.space_id,
       c.id AS commune_id,
       p.title AS proposal_title,
       p.method,
       r.outcome,
       r.closed_at,
       CASE
           WHEN e ? 'too_few_votes' THEN 'too_few_votes'
           WHEN e ? 'for' THEN CASE
               WHEN (e->>'for')::int > (e->>'against')::int
                    AND (e->>'for')::int * 100
                        >= p.threshold * ((e->>'for')::int + (e->>'against')::int)
               THEN 'adopted' ELSE 'rejected' END
       END AS commune_outcome,
       e ? 'too_few_votes' AS too_few_votes,
       (e->>'voters')::int AS voters,
       (e->>'for')::int AS votes_for,
       (e->>'against')::int AS votes_against,
       (e->>'blank')::int AS votes_blank,
       CASE WHEN (e->>'for')::int + (e->>'against')::int > 0
            THEN round((e->>'for')::numeric / ((e->>'for')::int + (e->>'against')::int), 4)::float8
       END AS for_share,
       (e->>'participation')::float8 AS participation,
       greatest(p.xmin::text::bigint, r.xmin::text::bigint) AS xmin
FROM participation_proposal p
JOIN participation_resolution r ON r.proposal_id = p.id
CROSS JOIN LATERAL jsonb_array_elements(
    CASE jsonb_typeof(r.results->'by_commune') WHEN 'array' THEN r.results->'by_commune'
    ELSE '[]'::jsonb END
) AS e
JOIN territories_commune c ON c.code = e->>'code' AND c.valid_to IS NULL
WHERE p.status IN ('closed', 'archived');
"""
BACKWARD = "DROP VIEW IF EXISTS layers_communeresult;"


class Migration(migrations.Migration):
    dependencies = [
        ("layers", "0002_actor_search_index"),
        ("participation", "0003_proposal_marker"),
    ]

    operations = [
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.CreateModel(
            name="CommuneResult",
            fields=[
                ("id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("proposal_title", models.CharField(max_length=200)),
                ("method", models.CharField(max_length=10)),
                ("outcome", models.CharField(max_length=20)),
                ("closed_at", models.DateTimeField()),
                ("commune_outcome", models.CharField(max_length=20, null=True)),
                ("too_few_votes", models.BooleanField()),
                ("voters", models.IntegerField(null=True)),
                ("votes_for", models.IntegerField(null=True)),
                ("votes_against", models.IntegerField(null=True)),
                ("votes_blank", models.IntegerField(null=True)),
                ("for_share", models.FloatField(null=True)),
                ("participation", models.FloatField(null=True)),
            ],
            options={
                "db_table": "layers_communeresult",
                "ordering": ["proposal_id", "commune_id"],
                "managed": False,
            },
        ),
    ]
