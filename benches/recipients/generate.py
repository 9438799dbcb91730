"""N fictional recipients of the example site, on stdout: 1 in 40 in the US
with a Social Security number and an enrolment code, 1 in 40 staff, the
rest customers in the UK; every tenth without an email."""
import sys

n = int(sys.argv[1])
w = sys.stdout.write
w("name,address_1,address_2,town,region,postcode,country,email,audience,enrolment_code\n")
for i in range(n):
    k = i % 40
    if k == 0:
        aud, country, region, town, post, code = "us-ssn", "US", "CA", "Springfield", f"9{i % 10000:04d}", f"MON-{i:07d}"
    elif k == 1:
        aud, country, region, town, post, code = "staff", "GB", "", "Northbridge", f"NB{i % 9} {i % 10}AB", ""
    else:
        aud, country, region, town, post, code = "uk-customers", "GB", "", "Northbridge", f"NB{i % 9} {i % 10}AB", ""
    email = "" if i % 10 == 5 else f"person{i}@mail.example"
    w(f"Person Number{i},{i} Any Street,Flat {i % 9},{town},{region},{post},{country},{email},{aud},{code}\n")
