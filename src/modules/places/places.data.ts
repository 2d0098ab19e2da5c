// Campaign places seed data: the 5 provinces we work in and 5 rural communes (khum) in each,
// picked from districts with heavy labour migration to Thailand.
//
// Why these names and codes: every code, Khmer name and romanised name is taken from the
// official Cambodian gazetteer (NCDD / Ministry of Interior "Gazetteer" lists) as published
// in the dwilkie/pumi data set (data/provinces.yml, districts.yml, communes.yml, built from
// the NCDD CSVs; Kampong Cham also checked against the raw NCDD file
// "Gazetteer_KPC_02_Mar_2023.csv") and cross-checked against a second, independent
// gazetteer extract; district geocodes also match Wikipedia's lists of districts.
// English names keep the gazetteer's romanisation
// (e.g. "Ou Beichoan", "Soengh"), except that Siem Reap uses the common spelling rather
// than the gazetteer's "Siemreap". Khmer is NFC Unicode with coeng (U+17D2) subscripts,
// spelled as in the gazetteer (which writes subscript "da" ្ដ in e.g. ឧត្ដរ, ក្ដី).
//
// The codes are the official gazetteer codes (province = 2 digits, commune = province +
// district + commune, 6 digits). They must never be renumbered or reused: they are the
// stable keys that data migrations and stored records point at. Only communes that still
// sit under the same code after recent boundary changes (e.g. the Baray -> Taing Kouk
// split in Kampong Thom) were chosen; all are khum, no sangkat was needed.
export interface CommuneSeed {
  code: string; // 6-digit gazetteer code, e.g. '010201'
  nameKm: string;
  nameEn: string;
  districtKm: string;
  districtEn: string;
}

export interface ProvinceSeed {
  code: string; // 2-digit gazetteer code, e.g. '01'
  nameKm: string;
  nameEn: string;
  communes: readonly CommuneSeed[];
}

export const CAMPAIGN_PROVINCES: readonly ProvinceSeed[] = [
  {
    code: '01',
    nameKm: 'បន្ទាយមានជ័យ',
    nameEn: 'Banteay Meanchey',
    communes: [
      {
        code: '010201',
        nameKm: 'បន្ទាយនាង',
        nameEn: 'Banteay Neang',
        districtKm: 'មង្គលបូរី',
        districtEn: 'Mongkol Borei',
      },
      {
        code: '010301',
        nameKm: 'ណាំតៅ',
        nameEn: 'Nam Tau',
        districtKm: 'ភ្នំស្រុក',
        districtEn: 'Phnum Srok',
      },
      {
        code: '010304',
        nameKm: 'ស្ពានស្រែង',
        nameEn: 'Spean Sraeng',
        districtKm: 'ភ្នំស្រុក',
        districtEn: 'Phnum Srok',
      },
      {
        code: '010507',
        nameKm: 'សឹង្ហ',
        nameEn: 'Soengh',
        districtKm: 'អូរជ្រៅ',
        districtEn: 'Ou Chrov',
      },
      {
        code: '010509',
        nameKm: 'អូរបីជាន់',
        nameEn: 'Ou Beichoan',
        districtKm: 'អូរជ្រៅ',
        districtEn: 'Ou Chrov',
      },
    ],
  },
  {
    code: '03',
    nameKm: 'កំពង់ចាម',
    nameEn: 'Kampong Cham',
    communes: [
      {
        code: '030105',
        nameKm: 'មេព្រីង',
        nameEn: 'Me Pring',
        districtKm: 'បាធាយ',
        districtEn: 'Batheay',
      },
      {
        code: '030108',
        nameKm: 'សណ្ដែក',
        nameEn: 'Sandaek',
        districtKm: 'បាធាយ',
        districtEn: 'Batheay',
      },
      {
        code: '030306',
        nameKm: 'សំពងជ័យ',
        nameEn: 'Sampong Chey',
        districtKm: 'ជើងព្រៃ',
        districtEn: 'Cheung Prey',
      },
      {
        code: '030309',
        nameKm: 'ស្រម៉រ',
        nameEn: 'Sramar',
        districtKm: 'ជើងព្រៃ',
        districtEn: 'Cheung Prey',
      },
      {
        code: '030707',
        nameKm: 'រាយប៉ាយ',
        nameEn: 'Reay Pay',
        districtKm: 'កងមាស',
        districtEn: 'Kang Meas',
      },
    ],
  },
  {
    code: '06',
    nameKm: 'កំពង់ធំ',
    nameEn: 'Kampong Thom',
    communes: [
      {
        code: '060111',
        nameKm: 'ក្រវ៉ា',
        nameEn: 'Krava',
        districtKm: 'បារាយណ៍',
        districtEn: 'Baray',
      },
      {
        code: '060702',
        nameKm: 'ជ្រាប់',
        nameEn: 'Chroab',
        districtKm: 'សន្ទុក',
        districtEn: 'Santuk',
      },
      {
        code: '060703',
        nameKm: 'កំពង់ថ្ម',
        nameEn: 'Kampong Thma',
        districtKm: 'សន្ទុក',
        districtEn: 'Santuk',
      },
      {
        code: '060801',
        nameKm: 'បន្ទាយស្ទោង',
        nameEn: 'Banteay Stoung',
        districtKm: 'ស្ទោង',
        districtEn: 'Stoung',
      },
      {
        code: '060806',
        nameKm: 'ម្សាក្រង',
        nameEn: 'Msa Krang',
        districtKm: 'ស្ទោង',
        districtEn: 'Stoung',
      },
    ],
  },
  {
    code: '22',
    nameKm: 'ឧត្ដរមានជ័យ',
    nameEn: 'Oddar Meanchey',
    communes: [
      {
        code: '220101',
        nameKm: 'អន្លង់វែង',
        nameEn: 'Anlong Veaeng',
        districtKm: 'អន្លង់វែង',
        districtEn: 'Anlong Veaeng',
      },
      {
        code: '220103',
        nameKm: 'ត្រពាំងតាវ',
        nameEn: 'Trapeang Tav',
        districtKm: 'អន្លង់វែង',
        districtEn: 'Anlong Veaeng',
      },
      {
        code: '220201',
        nameKm: 'អំពិល',
        nameEn: 'Ampil',
        districtKm: 'បន្ទាយអំពិល',
        districtEn: 'Banteay Ampil',
      },
      {
        code: '220202',
        nameKm: 'បេង',
        nameEn: 'Beng',
        districtKm: 'បន្ទាយអំពិល',
        districtEn: 'Banteay Ampil',
      },
      {
        code: '220204',
        nameKm: 'គោកមន',
        nameEn: 'Kouk Mon',
        districtKm: 'បន្ទាយអំពិល',
        districtEn: 'Banteay Ampil',
      },
    ],
  },
  {
    code: '17',
    nameKm: 'សៀមរាប',
    nameEn: 'Siem Reap',
    communes: [
      {
        code: '170403',
        nameKm: 'កំពង់ក្ដី',
        nameEn: 'Kampong Kdei',
        districtKm: 'ជីក្រែង',
        districtEn: 'Chi Kraeng',
      },
      {
        code: '170410',
        nameKm: 'ឫស្សីលក',
        nameEn: 'Ruessei Lok',
        districtKm: 'ជីក្រែង',
        districtEn: 'Chi Kraeng',
      },
      {
        code: '170601',
        nameKm: 'ចន្លាសដៃ',
        nameEn: 'Chanleas Dai',
        districtKm: 'ក្រឡាញ់',
        districtEn: 'Kralanh',
      },
      {
        code: '170609',
        nameKm: 'ស្រណាល',
        nameEn: 'Sranal',
        districtKm: 'ក្រឡាញ់',
        districtEn: 'Kralanh',
      },
      {
        code: '171202',
        nameKm: 'ក្លាំងហាយ',
        nameEn: 'Klang Hay',
        districtKm: 'ស្រីស្នំ',
        districtEn: 'Srei Snam',
      },
    ],
  },
];
