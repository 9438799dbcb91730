"""The usual mail merge, as a peer for `candor notices --recipients`: Jinja2
for the letter and the two parts of the email, Python's email library for
each .eml, the csv module for the mailing list. The same documents per
person as candor writes: it starts from candor's own renders of each
audience's letter and email (notices/<incident>/for/<audience>/), with the
«placeholders» made into Jinja2 fields.

    python3 peer.py SITE_DIR RECIPIENTS.csv OUT_DIR
"""
import csv
import hashlib
import hmac
import os
import sys
from email.message import EmailMessage
from email.policy import SMTP

import jinja2

site, recipients, out = sys.argv[1:4]
incident = "customer-database-2026"
base = os.path.join(site, "notices", incident, "for")
ADDRESS = "<p>«Full name»</p>\n<p>«Address line 1»</p>\n<p>«Address line 2»</p>\n<p>«Town or city»</p>\n<p>«Postcode»</p>"


def template(path, html):
    text = open(path, encoding="utf-8").read()
    if html:
        text = text.replace(ADDRESS, "<p>[[ name ]]</p>[% for l in address %]<p>[[ l ]]</p>[% endfor %]")
        text = text.replace("Dear «Full name»,", "Dear [[ name ]],<p>Your reference code: [[ code ]]</p>")
    else:
        text = text.replace("This notice is for:", "Dear [[ name ]],\nYour reference code: [[ code ]]\nThis notice is for:")
    text = text.replace("«Enrolment code»", "[[ enrolment_code ]]")
    # Other delimiters than Jinja2's own: CSS and the notice use braces.
    return jinja2.Environment(
        autoescape=html,
        variable_start_string="[[", variable_end_string="]]",
        block_start_string="[%", block_end_string="%]",
        comment_start_string="[#", comment_end_string="#]",
    ).from_string(text)


audiences = {}
for a in os.listdir(base):
    d = os.path.join(base, a)
    audiences[a] = (
        template(os.path.join(d, "letter.html"), True),
        template(os.path.join(d, "email.html"), True),
        template(os.path.join(d, "email.txt"), False),
    )

key = os.urandom(32)
os.makedirs(os.path.join(out, "letters"), exist_ok=True)
mailing = csv.writer(open(os.path.join(out, "letters", "mailing.csv"), "w", newline="", encoding="utf-8"))
letters = None
n_letters = n_emails = 0
with open(recipients, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        letter_t, html_t, text_t = audiences[row["audience"]]
        code = hmac.new(key, row["email"].encode(), hashlib.sha256).hexdigest()[:18].upper()
        address = [row[k] for k in ("address_1", "address_2", "town", "postcode", "country") if row.get(k)]
        fields = dict(row, code=code, address=address, name=row["name"])
        if n_letters % 500 == 0:
            if letters:
                letters.close()
            letters = open(os.path.join(out, "letters", f"letters-{n_letters // 500 + 1:05}.html"), "w", encoding="utf-8")
        letters.write(letter_t.render(fields))
        mailing.writerow([n_letters + 1, code, row["name"], *address, row["audience"]])
        n_letters += 1
        if row.get("email"):
            msg = EmailMessage(policy=SMTP)
            msg["From"] = "Northbridge Computer Repairs Ltd <incident@northbridge-repairs.example>"
            msg["To"] = f'"{row["name"]}" <{row["email"]}>'
            msg["Subject"] = "Important: Notice of data breach"
            msg.set_content(text_t.render(fields))
            msg.add_alternative(html_t.render(fields), subtype="html")
            folder = os.path.join(out, "emails", f"{n_emails // 1000 + 1:05}")
            if n_emails % 1000 == 0:
                os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, code + ".eml"), "wb") as e:
                e.write(msg.as_bytes())
            n_emails += 1
if letters:
    letters.close()
print(f"peer: {n_letters} letters, {n_emails} emails")
