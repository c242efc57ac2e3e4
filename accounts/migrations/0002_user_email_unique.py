"""One account per e-mail address, whatever its case: a unique index on auth_user.

auth.User is Django's model, so the index is plain SQL here rather than a constraint in its
Meta. Blank addresses are left out (createsuperuser allows one).
"""

from django.db import migrations

# accounts.emails.UNIQUE_EMAIL_INDEX, written out: a migration must not change with the code.
UNIQUE_EMAIL_INDEX = "accounts_user_email_lower_unique"

# A database that already holds two accounts of one address stops here, naming it, rather than
# at the index's bare "could not create unique index".
REFUSE_DUPLICATES = """
DO $$
DECLARE duplicate text;
BEGIN
    SELECT lower(email) INTO duplicate FROM auth_user
    WHERE email <> '' GROUP BY lower(email) HAVING count(*) > 1 LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'Several accounts have the e-mail address %: give each its own first.',
            duplicate;
    END IF;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunSQL(REFUSE_DUPLICATES, reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL(
            f"CREATE UNIQUE INDEX {UNIQUE_EMAIL_INDEX} ON auth_user (lower(email)) "
            "WHERE email <> ''",
            reverse_sql=f"DROP INDEX {UNIQUE_EMAIL_INDEX}",
        ),
    ]
