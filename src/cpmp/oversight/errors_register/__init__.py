"""The relevant errors register: errors reported to the Investigatory Powers Commissioner
under IPA 2016 s.231, the reporting clock and candidates detected from other records."""
