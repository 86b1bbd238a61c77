/**
 * Made-up contract groups for demos and measurements. All people, addresses and companies are
 * fictitious; e-mail addresses use only the reserved example.com/.org/.net domains (RFC 2606).
 */

export interface DemoClient {
  name: string;
  email: string;
  address: string;
}

export interface DemoContractGroup {
  /** Stable, so the README's example operations can name the demo groups. */
  id: string;
  name: string;
  template: { title: string; body: string };
  clients: ReadonlyArray<DemoClient>;
}

const standardTemplate = {
  title: 'Standard Service Agreement',
  body: `This Service Agreement ("Agreement") is entered into on {{date}} between Northwind Digital Services Ltd ("Provider") and {{name}}, residing at {{address}} ("Client").

1. Services. The Provider will deliver the services described in the order form accepted by the Client, including set-up, routine maintenance and support by e-mail on business days between 9:00 and 17:00 local time. Requests sent outside these hours are handled on the next business day.

2. Fees and payment. The Client pays the monthly fee stated in the order form. Invoices are sent to {{email}} at the start of each month and are due within 30 days. Late payments may carry interest at the statutory rate.

3. Term and termination. This Agreement starts on {{date}} and runs for twelve months. It renews automatically for further periods of twelve months unless either party gives written notice at least 30 days before the end of the current period.

4. Confidentiality and data. Each party keeps the other's confidential information secret and uses it only to perform this Agreement. The Provider processes personal data only on the Client's documented instructions and in line with applicable data protection law.

5. Liability. The Provider's total liability under this Agreement is limited to the fees paid by the Client in the twelve months before the event giving rise to the claim, except for liability that cannot be limited by law.

Notices under this Agreement are sent by e-mail: to the Client at {{email}}, and to the Provider at contracts@example.com.`,
};

const premiumTemplate = {
  title: 'Premium Managed Services Agreement',
  body: `This Premium Managed Services Agreement (the "Agreement") is made and entered into as of {{date}} (the "Effective Date") by and between Northwind Digital Services Ltd, a company providing managed infrastructure and application services (the "Provider"), and {{name}}, whose address for service is {{address}} (the "Client"). The Provider and the Client are each referred to as a "Party" and together as the "Parties".

1. Definitions
"Services" means the managed hosting, monitoring, backup, security patching and advisory services described in Schedule A, as updated from time to time by written agreement. "Service Levels" means the availability and response commitments set out in Schedule B. "Business Day" means any day other than a Saturday, Sunday or public holiday at the Client's address. "Client Data" means all data, content and materials supplied by or on behalf of the Client in connection with the Services.

2. Scope of Services
The Provider will provide the Services with reasonable skill and care and in accordance with good industry practice. The Provider assigns a named service manager to the Client, who acts as the single point of contact for all operational matters, coordinates quarterly service reviews and prepares a written report on availability, incidents, changes and capacity before each review. Changes to the scope of the Services are agreed through the change procedure in Schedule C and take effect only once confirmed in writing by both Parties.

3. Service Levels and Support
The Provider targets a monthly availability of 99.9% for the production environment, measured at the Provider's network edge and excluding scheduled maintenance announced at least five Business Days in advance. Priority 1 incidents are acknowledged within 30 minutes, at any time of day, and worked on continuously until resolved or downgraded. Priority 2 incidents are acknowledged within two hours during extended support hours (07:00 to 22:00, every day). If the Provider misses the availability target in any month, the Client is entitled to the service credits set out in Schedule B, which are the Client's sole financial remedy for that shortfall.

4. Client Responsibilities
The Client provides timely access to the systems, information and personnel the Provider reasonably needs, keeps its own account credentials secure, and tells the Provider without undue delay of any suspected security incident. The Client remains responsible for the lawfulness of the Client Data and for the decisions it takes on the basis of the Provider's advice.

5. Fees, Invoicing and Expenses
The Client pays the monthly service fee and any one-off project fees set out in the order form. Invoices are issued monthly in advance and sent electronically to {{email}}; they are payable within 30 days of the invoice date. The Provider may adjust the fees once per contract year, with at least 60 days' written notice, by no more than the change in the national consumer price index over the previous twelve months. Pre-approved travel and out-of-pocket expenses are charged at cost.

6. Data Protection and Security
The Provider processes personal data contained in the Client Data only as a processor on the Client's documented instructions, as set out in the data processing addendum, which forms part of this Agreement. The Provider maintains the technical and organisational measures described in Schedule D, including encryption of backups at rest, multi-factor authentication for administrative access, least-privilege access control, and yearly penetration testing by an independent third party. The Provider notifies the Client of a personal data breach without undue delay and in any case within 24 hours of becoming aware of it.

7. Confidentiality
Each Party keeps confidential all information disclosed by the other Party that is marked as confidential or would reasonably be understood to be confidential, uses it only to perform this Agreement, and discloses it only to employees and advisers who need to know it and are bound by equivalent obligations. These obligations survive termination of this Agreement for five years.

8. Intellectual Property
The Client retains all rights in the Client Data. The Provider retains all rights in its tools, scripts, documentation templates and know-how, and grants the Client a non-exclusive, non-transferable licence to use any deliverables for its internal business purposes for as long as it uses them.

9. Liability
Neither Party limits its liability for death or personal injury caused by negligence, for fraud, or for any other liability that cannot be limited by law. Subject to that, each Party's total aggregate liability arising out of or in connection with this Agreement in any contract year is limited to 150% of the fees paid or payable in that contract year, and neither Party is liable for loss of profit, revenue or goodwill, or for any indirect or consequential loss.

10. Term and Termination
This Agreement begins on {{date}} and continues for an initial term of 24 months, after which it renews for successive periods of 12 months unless either Party gives at least 90 days' written notice before the end of the current term. Either Party may terminate this Agreement immediately by written notice if the other Party commits a material breach that is not remedied within 30 days of being notified of it. On termination, the Provider returns the Client Data in a commonly used, machine-readable format and provides up to 40 hours of exit assistance at the rates in the order form.

11. General
This Agreement, its schedules and the order form constitute the entire agreement between the Parties regarding its subject matter. Amendments are valid only in writing and signed by both Parties. Notices are sent by e-mail to the Client at {{email}} or by post to {{address}}, and to the Provider at legal@example.com. This Agreement is governed by the law of the country of the Provider's registered office, and the courts of that place have exclusive jurisdiction.

Signed on {{date}} by the Parties' authorised representatives. By signing below, {{name}} confirms having read and accepted the schedules referred to above.`,
};

const standardClients: ReadonlyArray<DemoClient> = [
  { name: 'Emma Johansson', email: 'emma.johansson@example.com', address: 'Drottninggatan 42, 111 21 Stockholm, Sweden' },
  { name: 'Lukas Becker', email: 'lukas.becker@example.org', address: 'Kastanienallee 17, 10435 Berlin, Germany' },
  { name: 'Chloé Lefèvre', email: 'chloe.lefevre@example.net', address: '14 rue des Martyrs, 75009 Paris, France' },
  { name: 'Oliver Bennett', email: 'oliver.bennett@example.com', address: '27 Elm Grove, Bristol BS6 5QT, United Kingdom' },
  { name: 'Sofía Ramírez', email: 'sofia.ramirez@example.org', address: 'Calle de Alcalá 118, 28009 Madrid, Spain' },
  { name: 'Daan de Vries', email: 'daan.devries@example.net', address: 'Prinsengracht 263, 1016 GV Amsterdam, Netherlands' },
  { name: 'Giulia Romano', email: 'giulia.romano@example.com', address: 'Via Torino 61, 20123 Milano, Italy' },
  { name: 'Jürgen Hoffmann', email: 'j.hoffmann@example.org', address: 'Schillerstraße 8, 80336 München, Germany' },
  { name: 'Aoife Byrne', email: 'aoife.byrne@example.net', address: '3 Harcourt Terrace, Dublin D02 X285, Ireland' },
  { name: 'Mateus Carvalho', email: 'mateus.carvalho@example.com', address: 'Rua Augusta 210, 1100-053 Lisboa, Portugal' },
  { name: 'Hannah Schmid', email: 'hannah.schmid@example.org', address: 'Mariahilfer Straße 45, 1060 Wien, Austria' },
  { name: 'Noah Martin', email: 'noah.martin@example.net', address: '88 Queen Street West, Toronto, ON M5H 2M9, Canada' },
  { name: 'Amélie Dubois', email: 'amelie.dubois@example.com', address: '5 place Bellecour, 69002 Lyon, France' },
  { name: 'Mikkel Sørensen', email: 'mikkel.sorensen@example.org', address: 'Vesterbrogade 31, 1620 København V, Denmark' },
  { name: 'Isabella Rossi', email: 'isabella.rossi@example.net', address: 'Corso Vittorio Emanuele II 74, 10121 Torino, Italy' },
  { name: 'Ethan Walker', email: 'ethan.walker@example.com', address: '1420 Pine Street, Seattle, WA 98101, USA' },
  { name: 'Lea Fischer', email: 'lea.fischer@example.org', address: 'Bahnhofstrasse 12, 8001 Zürich, Switzerland' },
  { name: 'José Manuel Núñez', email: 'jm.nunez@example.net', address: 'Avenida de la Constitución 9, 41004 Sevilla, Spain' },
  { name: 'Femke Janssens', email: 'femke.janssens@example.com', address: 'Meir 56, 2000 Antwerpen, Belgium' },
  { name: 'Samuel Okafor', email: 'samuel.okafor@example.org', address: '9 Deansgate, Manchester M3 2BW, United Kingdom' },
  { name: 'Marta Kowalczyk', email: 'marta.kowalczyk@example.net', address: 'ul. Mokotowska 19, 00-560 Warszawa, Poland' },
  { name: 'Felix Wagner', email: 'felix.wagner@example.com', address: 'Königstraße 27, 70173 Stuttgart, Germany' },
  { name: 'Inès Moreau', email: 'ines.moreau@example.org', address: '22 cours Mirabeau, 13100 Aix-en-Provence, France' },
  { name: 'Liam O\'Connor', email: 'liam.oconnor@example.net', address: '17 Patrick Street, Cork T12 X7C2, Ireland' },
  { name: 'Nora Lindqvist', email: 'nora.lindqvist@example.com', address: 'Kungsportsavenyen 5, 411 36 Göteborg, Sweden' },
];

const premiumClients: ReadonlyArray<DemoClient> = [
  { name: 'Alexander Weiß', email: 'alexander.weiss@example.com', address: 'Maximilianstraße 35, 80539 München, Germany' },
  { name: 'Charlotte Evans', email: 'charlotte.evans@example.org', address: '61 Northumberland Street, Edinburgh EH3 6JQ, United Kingdom' },
  { name: 'Hélène Girard', email: 'helene.girard@example.net', address: '48 quai des Chartrons, 33000 Bordeaux, France' },
  { name: 'Pablo Fernández', email: 'pablo.fernandez@example.com', address: 'Passeig de Gràcia 92, 08008 Barcelona, Spain' },
  { name: 'Sophie van den Berg', email: 'sophie.vandenberg@example.org', address: 'Lange Voorhout 14, 2514 ED Den Haag, Netherlands' },
  { name: 'Matteo Bianchi', email: 'matteo.bianchi@example.net', address: 'Via dei Coronari 120, 00186 Roma, Italy' },
  { name: 'Grace Thompson', email: 'grace.thompson@example.com', address: '350 Beacon Street, Boston, MA 02116, USA' },
  { name: 'Björn Nyström', email: 'bjorn.nystrom@example.org', address: 'Stortorget 7, 211 22 Malmö, Sweden' },
  { name: 'Zoë Müller', email: 'zoe.mueller@example.net', address: 'Neuer Wall 50, 20354 Hamburg, Germany' },
  { name: 'William Chen', email: 'william.chen@example.com', address: '1188 West Georgia Street, Vancouver, BC V6E 4A2, Canada' },
  { name: 'Ana Sofia Peña', email: 'anasofia.pena@example.org', address: 'Gran Vía 48, 48011 Bilbao, Spain' },
  { name: 'Thomas Gruber', email: 'thomas.gruber@example.net', address: 'Getreidegasse 22, 5020 Salzburg, Austria' },
  { name: 'Camille Rousseau', email: 'camille.rousseau@example.com', address: '9 rue Sainte-Catherine, 33000 Bordeaux, France' },
  { name: 'Freya Andersen', email: 'freya.andersen@example.org', address: 'Store Torv 4, 8000 Aarhus C, Denmark' },
  { name: 'Lorenzo Conti', email: 'lorenzo.conti@example.net', address: 'Piazza della Signoria 3, 50122 Firenze, Italy' },
  { name: 'Eleanor Hughes', email: 'eleanor.hughes@example.com', address: '12 Cathedral Road, Cardiff CF11 9LJ, United Kingdom' },
  { name: 'Maximilian Brandt', email: 'max.brandt@example.org', address: 'Rheinuferstraße 3, 40213 Düsseldorf, Germany' },
  { name: 'Inês Santos', email: 'ines.santos@example.net', address: 'Avenida dos Aliados 150, 4000-065 Porto, Portugal' },
  { name: 'Henrik Lund', email: 'henrik.lund@example.com', address: 'Karl Johans gate 25, 0159 Oslo, Norway' },
  { name: 'Olivia Martínez', email: 'olivia.martinez@example.org', address: '2200 Ross Avenue, Dallas, TX 75201, USA' },
  { name: 'Sebastian Kraus', email: 'sebastian.kraus@example.net', address: 'Zeil 106, 60313 Frankfurt am Main, Germany' },
  { name: 'Maëlle Bernard', email: 'maelle.bernard@example.com', address: '31 rue Nationale, 59800 Lille, France' },
  { name: 'Daniel Murphy', email: 'daniel.murphy@example.org', address: '44 Eyre Square, Galway H91 F2K7, Ireland' },
  { name: 'Elif Demir', email: 'elif.demir@example.net', address: 'Kurfürstendamm 190, 10707 Berlin, Germany' },
  { name: 'Jasper Claes', email: 'jasper.claes@example.com', address: 'Korenmarkt 11, 9000 Gent, Belgium' },
  { name: 'Valentina Greco', email: 'valentina.greco@example.org', address: 'Via Toledo 256, 80134 Napoli, Italy' },
  { name: 'Benjamin Lefort', email: 'benjamin.lefort@example.net', address: 'Rue du Rhône 65, 1204 Genève, Switzerland' },
  { name: 'Astrid Holm', email: 'astrid.holm@example.com', address: 'Järntorget 2, 111 29 Stockholm, Sweden' },
  { name: 'Ricardo Alves', email: 'ricardo.alves@example.org', address: 'Rua Garrett 73, 1200-203 Lisboa, Portugal' },
  { name: 'Margaret O\'Brien', email: 'margaret.obrien@example.net', address: '500 North Michigan Avenue, Chicago, IL 60611, USA' },
  { name: 'Jonas Schäfer', email: 'jonas.schaefer@example.com', address: 'Domkloster 4, 50667 Köln, Germany' },
  { name: 'Lucía Gómez', email: 'lucia.gomez@example.org', address: 'Calle Larios 5, 29005 Málaga, Spain' },
  { name: 'Pieter Bakker', email: 'pieter.bakker@example.net', address: 'Oudegracht 158, 3511 AZ Utrecht, Netherlands' },
  { name: 'Émile Laurent', email: 'emile.laurent@example.com', address: '7 avenue Jean Médecin, 06000 Nice, France' },
  { name: 'Hamish MacLeod', email: 'hamish.macleod@example.org', address: '21 Union Street, Aberdeen AB11 6BE, United Kingdom' },
  { name: 'Chiara Ferrari', email: 'chiara.ferrari@example.net', address: 'Strada Maggiore 31, 40125 Bologna, Italy' },
  { name: 'Mathilde Østergaard', email: 'mathilde.ostergaard@example.com', address: 'Nørregade 18, 5000 Odense C, Denmark' },
  { name: 'Nicolás Herrera', email: 'nicolas.herrera@example.org', address: 'Calle Colón 34, 46004 València, Spain' },
  { name: 'Rebecca Klein', email: 'rebecca.klein@example.net', address: 'Herrengasse 6, 8010 Graz, Austria' },
  { name: 'Arthur Fontaine', email: 'arthur.fontaine@example.com', address: '1250 boulevard René-Lévesque Ouest, Montréal, QC H3B 4W8, Canada' },
];

/** Two demo groups: "Standard" (25 clients, one-page contracts) and "Premium" (40, two pages). */
export const demoContractGroups: ReadonlyArray<DemoContractGroup> = [
  { id: 'standard', name: 'Standard', template: standardTemplate, clients: standardClients },
  { id: 'premium', name: 'Premium', template: premiumTemplate, clients: premiumClients },
];
