# End-to-end: `vitrine collection import` of the corpus's LIDO, IIIF 3D and museum API samples plus
# a Chinese CSV; importing twice changes nothing; search in English and Chinese; `collection convert`
# of the IIIF 3D scans through a --media-map to the local corpus (nothing downloaded); `exhibit
# generate` of the converted objects, `exhibit validate` of the result, and its IIIF manifest.
function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
    set(status ${status} PARENT_SCOPE)
    set(out "${out}" PARENT_SCOPE)
    set(err "${err}" PARENT_SCOPE)
endfunction()
function(expect what pattern)
    if(NOT status EQUAL 0 OR NOT out MATCHES "${pattern}")
        message(FATAL_ERROR "${what} (exit ${status}) does not match '${pattern}':\n${out}\n${err}")
    endif()
endfunction()

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(db ${WORK}/catalog.db)
set(M ${CORPUS}/metadata)
file(GLOB iiif3d ${M}/iiif3d-manifests/manifests/*/*.json)
set(sources ${M}/lido/LIDO-Test.xml ${M}/lido/LIDO-Extended-Example.xml ${iiif3d}
    ${M}/openverse-museum-api/smithsonian/actual_record_data.json
    ${M}/openverse-museum-api/metropolitan_museum_of_art/sample_response.json)

run(${VITRINE} collection import ${sources} --catalog ${db})
expect("first import" "([0-9]+) new, 0 updated, 0 unchanged")
string(REGEX MATCH "([0-9]+) new" first "${out}")
run(${VITRINE} collection import ${DATA}/palace.csv --mapping ${DATA}/palace_mapping.json --catalog ${db})
expect("CSV import" "2 new")
run(${VITRINE} collection import ${sources} --catalog ${db})
expect("second import" "0 new, 0 updated, [0-9]+ unchanged")

# A folder imports every record file below it; what is not a record is rejected by name and the
# rest go on.
run(${VITRINE} collection import ${M} --catalog ${WORK}/folder.db)
expect("folder import" "records read from [0-9]+ sources: ([0-9]+) new")
if(NOT err MATCHES "oai-pmh/getrecord.xml:2: error: root element <OAI-PMH> is not LIDO")
    message(FATAL_ERROR "folder import did not name the OAI-PMH file it rejected:\n${err}")
endif()
string(REGEX MATCH "read from ([0-9]+) sources: ([0-9]+) new" counts "${out}")
if(CMAKE_MATCH_1 LESS 40 OR CMAKE_MATCH_2 LESS 40)
    message(FATAL_ERROR "folder import read too little: ${out}")
endif()

run(${VITRINE} collection search ${db} "Quail")
expect("search Quail" "met:36\\.100\\.45\tQuail and Millet")
run(${VITRINE} collection search ${db} "青花")
expect("search 青花" "palace:故00001\t")
run(${VITRINE} collection search ${db} "鲸")
expect("search 鲸" "palace:故00002")
run(${VITRINE} collection search ${db} "tritons")
expect("search tritons" "lido-obj20344012,T,001")
run(${VITRINE} collection show ${db} met:36.100.45)
expect("show" "1184 x 476")

run(${VITRINE} collection convert --catalog ${db} --store ${WORK}/store -j 2
    --media-map https://raw.githubusercontent.com/IIIF/3d/main/=${CORPUS}/meshes/iiif3d-assets/)
expect("convert" "scan sets converted")
if(NOT err MATCHES "whale_mandible\\.glb: not found")
    message(FATAL_ERROR "the missing corpus file is not reported:\n${err}")
endif()
run(${VITRINE} collection convert --catalog ${db} --store ${WORK}/store
    --media-map https://raw.githubusercontent.com/IIIF/3d/main/=${CORPUS}/meshes/iiif3d-assets/)
expect("resumed convert" " 0 scan sets converted")

run(${VITRINE} exhibit generate --catalog ${db} --store ${WORK}/store --query astronaut --layout grid
    -o ${WORK}/site/astronauts.json --iiif ${WORK}/site/astronauts.iiif.json)
expect("exhibit generate" "objects in [0-9]+ rooms")
run(${VITRINE} exhibit validate ${WORK}/site/astronauts.json)
expect("exhibit validate" "ok: .* artifacts \\(every pack opens\\)")
file(READ ${WORK}/site/astronauts.iiif.json manifest)
string(JSON type GET "${manifest}" type)
if(NOT type STREQUAL "Manifest")
    message(FATAL_ERROR "the IIIF export is not a Manifest")
endif()
message(STATUS "collection import, search, convert, exhibit generate/validate all as expected")
