"""Name parts common in East Java (Javanese, Madurese, Arabic-origin), for synthetic people only.

A person gets one to three parts; women and men draw from their own first-name lists. The names
are generic; any resemblance to a real registry entry is chance.
"""


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


MALE_FIRST = _words(
    "Ahmad Muhammad Moch Abdul Agus Budi Bambang Eko Dwi Joko Hadi Slamet Sugeng Supriyadi "
    "Suyanto Teguh Wahyu Yusuf Rudi Hendra Imam Irfan Arif Fajar Gunawan Heru Rizky Rahmat "
    "Hari Andi Dedi Edi Sutrisno Sukarno Subagyo Sunardi Sumarno Kusnadi Mulyono Purnomo "
    "Priyo Nur Ilham Fauzi Zainal Syaiful Mochamad Abdullah Khoirul Mahmud Hasan Husein "
    "Rofiq Faisal Anwar Bayu Dimas Galih Yoga Aditya Reza Aldi Farhan Rangga Dani Ridwan"
)

FEMALE_FIRST = _words(
    "Siti Sri Nur Dewi Endang Wahyuni Sulastri Sumarni Suparmi Tutik Yuli Lilik Rini Ratna "
    "Ani Ida Ernawati Fitri Indah Kartini Lestari Maya Nanik Nining Puji Ratih Retno Sari "
    "Setyowati Sukarti Suminah Supiati Tri Umi Wulan Yuni Aisyah Fatimah Khotimah Maslikah "
    "Musyarofah Nurul Rohmah Rukmini Sholikhah Zulaikha Anisa Ayu Citra Diah Eka Febri "
    "Intan Laila Mega Novi Putri Rahayu Rina Santi Tika Vina Winda Yunita Zahra"
)

MIDDLE = _words(
    "Nur Dwi Tri Eka Agus Sri Budi Adi Hadi Wahyu Dian Puji Rahmat Abdul Setyo Joko Kurnia "
    "Indra Arif Dewi Ayu Putri Rizki Nurul Eko Yudi Mulya"
)

LAST = _words(
    "Santoso Wibowo Susanto Prasetyo Setiawan Hidayat Saputra Kurniawan Wahyudi Purwanto "
    "Suryadi Hartono Nugroho Rahayu Lestari Wati Ningsih Astuti Handayani Susilowati "
    "Pratama Hakim Fauzi Hasanah Maulana Rohman Arifin Syahputra Hariyanto Utomo Budiman "
    "Sugiarto Widodo Sulistyo Suharto Mulyadi Yulianto Kusuma Permana Anggraini Rahmawati "
    "Ramadhan Fitriani Mubarok Zakaria Sholeh Rosyid Ma'ruf Mukminin Cahyono Efendi"
)
