// Word lists for the seeded data. Invented for the sandbox so the data looks
// like a real support team's inbox. The sentences go into HTML bodies as they
// are, so they must not contain &, < or >.

export const FIRST_NAMES = [
  'Ada', 'Ben', 'Carla', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Keiko', 'Liam',
  'Maya', 'Nils', 'Olivia', 'Pedro', 'Quinn', 'Rosa', 'Sami', 'Tara', 'Umar', 'Vera', 'Wen', 'Ximena',
  'Yusuf', 'Zoe', 'Aaron', 'Bianca', 'Chloe', 'Diego', 'Emma', 'Felix', 'Greta', 'Hannah', 'Ivan', 'Julia',
  'Kofi', 'Lena', 'Marco', 'Nadia', 'Oscar', 'Priya', 'Rafael', 'Sofia', 'Tomas', 'Ula', 'Victor', 'Willa',
  'Aisha', 'Bruno', 'Camille', 'Daniel', 'Esther', 'Gabriel', 'Helga', 'Isaac', 'Jana', 'Karim', 'Lucia', 'Mateo',
];

export const LAST_NAMES = [
  'Anderson', 'Berg', 'Castillo', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Hoffmann', 'Ibrahim', 'Jensen',
  'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', "O'Brien", 'Petrov', 'Quintero', 'Rossi', 'Schmidt', 'Tanaka',
  'Usman', 'Vasquez', 'Weber', 'Xu', 'Yilmaz', 'Zimmermann', 'Alvarez', 'Brennan', 'Chen', 'Dahl', 'Evans',
  'Ferreira', 'Gupta', 'Horvat', 'Ivanova', 'Johansson', 'Kim', 'Larsen', 'Müller', 'Novak', 'Okafor', 'Park',
  'Reyes', 'Silva', 'Thompson', 'Urban', 'Virtanen', 'Walsh', 'Young', 'Zhang',
];

export const COMPANIES = [
  'Northwind Traders', 'Bluefin Analytics', 'Copperleaf Studio', 'Driftwood Labs', 'Evergreen Dental',
  'Foxglove Media', 'Granite Logistics', 'Harbor & Pine', 'Ironbark Software', 'Juniper Health',
  'Kestrel Outdoor', 'Lumen Robotics', 'Meadowlark Foods', 'Nimbus Cloudworks', 'Oakridge Legal',
  'Pebble Finance', 'Quarry Architects', 'Redwood Retail', 'Saffron Kitchens', 'Tidewater Marine',
  'Umbra Security', 'Vantage Realty', 'Willow Learning', 'Yarrow Gardens', 'Zephyr Travel',
];

export const DOMAINS = [
  'example.com', 'example.org', 'example.net', 'mail.example', 'inbox.example', 'corp.example',
];

export const CITIES: readonly { city: string; state: string; country: string; postal: string }[] = [
  { city: 'Berlin', state: 'BE', country: 'DE', postal: '10115' },
  { city: 'Portland', state: 'OR', country: 'US', postal: '97205' },
  { city: 'Austin', state: 'TX', country: 'US', postal: '78701' },
  { city: 'Toronto', state: 'ON', country: 'CA', postal: 'M5V 2T6' },
  { city: 'Lyon', state: 'ARA', country: 'FR', postal: '69002' },
  { city: 'Melbourne', state: 'VIC', country: 'AU', postal: '3000' },
  { city: 'Osaka', state: '27', country: 'JP', postal: '530-0001' },
  { city: 'Leeds', state: 'ENG', country: 'GB', postal: 'LS1 4AP' },
  { city: 'Porto', state: '13', country: 'PT', postal: '4000-322' },
  { city: 'Denver', state: 'CO', country: 'US', postal: '80202' },
  { city: 'Utrecht', state: 'UT', country: 'NL', postal: '3511 AB' },
  { city: 'Cape Town', state: 'WC', country: 'ZA', postal: '8001' },
];

export const STREETS = ['Main St', 'Harbour Rd', 'Station Ave', 'Linden Str.', 'Market Sq', 'Oak Lane', 'Canal Way'];

export const JOB_TITLES = [
  'Office Manager', 'CTO', 'Founder', 'Support Lead', 'Operations Director', 'Accountant', 'Developer',
  'Marketing Manager', 'Product Owner', 'IT Administrator', 'Designer', 'Sales Rep',
];

export const TIMEZONES = ['America/New_York', 'Europe/Berlin', 'America/Los_Angeles', 'Europe/London', 'Asia/Tokyo'];

export const TAG_NAMES: readonly [string, string][] = [
  ['billing', '#2ecc71'], ['refund', '#e67e22'], ['vip', '#f1c40f'], ['bug', '#e74c3c'], ['feature-request', '#3498db'],
  ['login', '#9b59b6'], ['invoice', '#1abc9c'], ['urgent', '#c0392b'], ['onboarding', '#16a085'], ['api', '#34495e'],
  ['mobile-app', '#8e44ad'], ['integration', '#2980b9'], ['cancellation', '#d35400'], ['upgrade', '#27ae60'],
  ['shipping', '#7f8c8d'], ['password-reset', '#bdc3c7'], ['feedback', '#f39c12'], ['data-export', '#95a5a6'],
  ['gdpr', '#2c3e50'], ['sso', '#6c5ce7'], ['webhooks', '#00b894'], ['trial', '#fd79a8'], ['partner', '#0984e3'],
  ['downtime', '#d63031'], ['security-test', '#636e72'],
];

/** Subject templates; `{n}` becomes a number, `{product}` a product name. */
export const SUBJECTS_BY_MAILBOX: Record<'support' | 'billing' | 'sales', readonly string[]> = {
  support: [
    "Can't log in after password reset", 'Export to CSV is missing columns', 'App crashes when I open settings',
    'How do I add a teammate?', 'Two-factor code never arrives', 'Sync stopped working yesterday',
    'Error 502 when saving a report', 'Where did the dark mode toggle go?', 'Importing contacts from {product}',
    'Webhook deliveries are delayed', 'SSO setup with our identity provider', 'API returns 429 too often',
    'Attachments fail to upload', 'Search results look outdated', 'Question about data retention',
    'Mobile app shows a blank screen', 'Notification emails land in spam', 'Duplicate records after import',
  ],
  billing: [
    'Refund for order #{n}', 'Invoice {n} is missing our VAT number', 'Charged twice this month',
    'Switch from monthly to annual billing', 'Update the card on file', 'Receipt for payment #{n}',
    'Downgrade our plan before renewal', 'Tax exemption certificate', 'Why did my bill go up?',
    'Cancel subscription for {product}', 'Credit for the outage on the {n}th', 'Purchase order for next year',
  ],
  sales: [
    'Pricing for 50 seats', 'Do you offer a nonprofit discount?', 'Demo request for our team',
    'Comparing your plan with {product}', 'Enterprise security questionnaire', 'Trial extension request',
    'Partnership inquiry', 'Volume discount for {n} licences', 'Can we pay by bank transfer?',
    'Questions before we buy', 'Migrating from {product}', 'Quote for the Pro plan',
  ],
};

export const PRODUCTS = ['Trello', 'Zendesk', 'Salesforce', 'HubSpot', 'Intercom', 'Freshdesk', 'Airtable', 'Excel'];

export const CUSTOMER_SENTENCES = [
  'I tried again this morning and the same thing happened.',
  'We have about twenty people on our team who rely on this every day.',
  'Could you take a look and let me know what is going on?',
  'I already cleared my browser cache and tried a different browser.',
  'This worked fine until last week.',
  'Our finance team needs this sorted before the end of the month.',
  'I attached a screenshot of the error message.',
  'Is there a workaround we can use in the meantime?',
  'Thanks in advance for your help!',
  'I could not find anything about this in your help center.',
  'We are on the Premium plan, if that matters.',
  'The problem only happens on my laptop, not on my phone.',
];

export const AGENT_SENTENCES = [
  'Thanks for reaching out, and sorry for the trouble.',
  'I had a look at your account and found the cause.',
  'I have passed this on to our engineering team.',
  'Could you send me the exact time when this happened?',
  'I went ahead and applied a credit to your account.',
  'You can change this under Settings → Account.',
  'Let me know if there is anything else I can help with.',
  'This should be fixed in the release going out this week.',
  'I have refreshed the sync on our side; please try again.',
  'Happy to help with that!',
];

export const NOTE_SENTENCES = [
  'Checked the logs: the request timed out on our side.',
  'Customer is on a legacy plan, see the billing history.',
  'Escalated to tier 2.',
  'Known issue, linked to the incident from last Tuesday.',
  'Waiting on a reply from the payments provider.',
  'Offered a 10% discount, pending approval.',
];

export const HELP_LINKS = [
  'https://docs.example.com/article/12-reset-password',
  'https://docs.example.com/article/48-billing-faq',
  'https://docs.example.com/article/77-export-data',
  'https://status.example.com/',
];
